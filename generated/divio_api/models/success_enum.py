from enum import StrEnum


class SuccessEnum(StrEnum):
    FAILURE = "FAILURE"
    PARTIAL = "PARTIAL"
    SUCCESS = "SUCCESS"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class StateEnum(StrEnum):
    CLONED = "CLONED"
    CLONING = "CLONING"
    INVALID = "INVALID"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class TriggerEnum(StrEnum):
    MANUAL = "MANUAL"
    PULL = "PULL"

    def __str__(self) -> str:
        return str(self.value)

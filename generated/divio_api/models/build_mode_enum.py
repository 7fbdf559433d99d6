from enum import StrEnum


class BuildModeEnum(StrEnum):
    ADOPT = "ADOPT"
    AUTO = "AUTO"
    FORCE = "FORCE"

    def __str__(self) -> str:
        return str(self.value)

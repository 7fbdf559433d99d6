from enum import StrEnum


class KeyTypeEnum(StrEnum):
    ECDSA = "ECDSA"
    ED25519 = "ED25519"
    RSA = "RSA"

    def __str__(self) -> str:
        return str(self.value)

"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106): hash, verify, upgrade old hashes."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH = 8
# Verified when the name is unknown, so a wrong name costs as long as a wrong password: the time of the answer
# must not tell which names exist.
_DUMMY_HASH = _hasher.hash("không phải mật khẩu của ai")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's defaults (rehashed at the next login)."""
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, username: str) -> str | None:
    """Why a new password is refused (in Vietnamese), or None."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải dài ít nhất {MIN_LENGTH} ký tự."
    if password.strip().casefold() == username.casefold():
        return "Mật khẩu không được trùng tên đăng nhập."
    if password.strip().casefold() in _COMMON or len(set(password)) < 4:
        # the first guesses of anyone trying (probe 55: «password» was taken)
        return "Mật khẩu quá dễ đoán (mật khẩu phổ biến, hay ít hơn 4 ký tự khác nhau): hãy chọn mật khẩu khác."
    return None


# Passwords tried first by anyone guessing, in English and Vietnamese.
_COMMON = frozenset({
    "password", "password1", "password123", "passw0rd", "12345678", "123456789", "1234567890", "11111111", "00000000",
    "12341234", "87654321", "qwertyui", "qwerty123", "qwertyuiop", "abc12345", "abcd1234", "admin123", "admin1234",
    "administrator", "iloveyou", "welcome1", "letmein1", "matkhau", "matkhau1", "matkhau123", "matkhau@123",
    "123456a@", "a123456789", "123456789a", "1q2w3e4r", "1qaz2wsx", "zaq12wsx", "abc@1234", "abc@12345",
    "admin@123", "admin@1234", "p@ssw0rd", "p@ssword", "vietnam1", "vietnam123", "hanoi123", "saigon123",
    "cchc1234", "cchc@123"})

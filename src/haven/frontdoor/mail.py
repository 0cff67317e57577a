"""Reading emails: RFC 822 messages (from the mailbox or a saved ``.eml``) and Outlook
``.msg`` files, into one shape; attachments checked against the council's limits; text taken
from PDF and Word documents so it can be read on the page.

Pure functions: nothing here writes to the database. ``UnreadableMessage`` says, in words a
person can act on, why a message could not be read (it goes to the quarantine list).
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# What a kept attachment may be, by extension, and how its first bytes must start (when the
# format has a signature), so a renamed executable is not kept as a "PDF".
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".rtf": ("application/rtf", (b"{\\rtf",)),
    ".txt": ("text/plain", ()),
    ".png": ("image/png", (b"\x89PNG",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".tif": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    ".tiff": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    ".heic": ("image/heic", ()),
}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".heic"}
MAX_EXTRACTED_CHARS = 200_000
MAX_PDF_PAGES = 100


class UnreadableMessage(Exception):  # noqa: N818 - a reason for quarantine, in words
    """The message could not be read; ``str(error)`` says why."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ParsedEmail:
    message_id: str
    subject: str
    from_name: str
    from_address: str
    to_addresses: str
    sent_at: datetime | None
    body_text: str
    attachments: list[Attachment] = field(default_factory=list)


def message_key(message_id: str, raw: bytes) -> str:
    """The idempotency key: a hash of the Message-ID (stripped of its angle brackets and
    spaces), or of the whole message when it has none."""
    clean = message_id.strip().strip("<>").strip().lower()
    if clean:
        return hashlib.sha256(f"mid:{clean}".encode()).hexdigest()
    return hashlib.sha256(b"raw:" + raw).hexdigest()


def max_attachment_bytes() -> int:
    return int(getattr(settings, "HAVEN_FRONT_DOOR_ATTACHMENT_MAX_MB", 20)) * 1024 * 1024


class _TextFromHtml(HTMLParser):
    _BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self._skip:
            self._skip -= 1
        if tag in ("p", "div", "tr", "table"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextFromHtml()
    parser.feed(markup)
    parser.close()
    return tidy_text(html.unescape("".join(parser.parts)))


def tidy_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def parse_rfc822(raw: bytes) -> ParsedEmail:  # noqa: PLR0912 - each check says its own reason
    """An email as the mail server holds it (or a saved ``.eml``)."""
    if not raw.strip():
        raise UnreadableMessage("The message is empty")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as error:
        raise UnreadableMessage(f"The message could not be parsed: {error}") from error
    if not isinstance(message, EmailMessage):
        raise UnreadableMessage("The message could not be parsed")
    headers = {key.lower() for key in message}
    if not headers & {"from", "date", "message-id", "subject"}:
        raise UnreadableMessage(
            "This is not an email message: it has no sender, date, subject or Message-ID"
        )
    try:
        from_name, from_address = parseaddr(str(message.get("from", "")))
        to = ", ".join(
            addr for _, addr in getaddresses([str(v) for v in message.get_all("to", [])])
        )
        subject = str(message.get("subject", "") or "")
        message_id = str(message.get("message-id", "") or "").strip()
    except Exception as error:
        raise UnreadableMessage(f"The message's headers could not be read: {error}") from error
    sent_at = None
    if message.get("date"):
        try:
            sent_at = _aware(parsedate_to_datetime(str(message["date"])))
        except (TypeError, ValueError, IndexError):
            sent_at = None
    body = _body_text(message)
    attachments = []
    for part in message.iter_attachments():
        filename = part.get_filename() or ""
        try:
            payload = part.get_payload(decode=True)
        except Exception as error:
            raise UnreadableMessage(
                f"The attachment {filename or '(no name)'} could not be decoded: {error}"
            ) from error
        data = payload if isinstance(payload, bytes) else b""
        if not filename:
            if part.get_content_type() == "message/rfc822":
                filename = "attached-message.eml"
                data = part.as_bytes()
            else:
                continue
        attachments.append(Attachment(filename, part.get_content_type(), data))
    if not body and not attachments:
        raise UnreadableMessage("The message has no text and no attachments")
    return ParsedEmail(
        message_id=message_id,
        subject=subject[:998],
        from_name=from_name[:200],
        from_address=from_address[:320],
        to_addresses=to,
        sent_at=sent_at,
        body_text=body,
        attachments=attachments,
    )


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError) as error:
        charset = part.get_content_charset() or "unknown"
        raise UnreadableMessage(
            f"The message text is in a character set that cannot be read ({charset})"
        ) from error
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return tidy_text(content)


def parse_outlook_msg(data: bytes) -> ParsedEmail:
    """An Outlook ``.msg`` file saved from a mail client."""
    import extract_msg

    try:
        msg: Any = extract_msg.openMsg(data)
    except Exception as error:
        raise UnreadableMessage(f"The Outlook message could not be opened: {error}") from error
    try:
        from_name, from_address = parseaddr(msg.sender or "")
        body = msg.body or ""
        if not body.strip() and getattr(msg, "htmlBody", None):
            raw_html = msg.htmlBody
            body = html_to_text(
                raw_html.decode("utf-8", "replace") if isinstance(raw_html, bytes) else raw_html
            )
        sent = msg.date if isinstance(msg.date, datetime) else None
        attachments = []
        for item in msg.attachments:
            item_data = getattr(item, "data", None)
            if not isinstance(item_data, bytes):
                continue  # an embedded message or OLE object: kept in the original only
            name = item.longFilename or item.shortFilename or "attachment"
            attachments.append(Attachment(name, getattr(item, "mimetype", "") or "", item_data))
        parsed = ParsedEmail(
            message_id=(msg.messageId or "").strip(),
            subject=(msg.subject or "")[:998],
            from_name=from_name[:200],
            from_address=from_address[:320],
            to_addresses=msg.to or "",
            sent_at=_aware(sent),
            body_text=tidy_text(body),
            attachments=attachments,
        )
    except Exception as error:
        raise UnreadableMessage(f"The Outlook message could not be read: {error}") from error
    finally:
        msg.close()
    if not parsed.body_text and not parsed.attachments:
        raise UnreadableMessage("The message has no text and no attachments")
    return parsed


def is_outlook_msg(data: bytes) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class AttachmentCheck:
    refused_reason: str = ""
    content_type: str = ""


def check_attachment(attachment: Attachment) -> AttachmentCheck:
    """Whether an attachment may be kept: its type (by name and by its first bytes) and size."""
    extension = PurePath(attachment.filename.lower()).suffix
    allowed = ALLOWED_TYPES.get(extension)
    if allowed is None:
        kinds = "PDF, Word, text or image files"
        return AttachmentCheck(f"Not kept: only {kinds} are kept ({extension or 'no extension'})")
    content_type, signatures = allowed
    if signatures and not any(attachment.data.startswith(sig) for sig in signatures):
        return AttachmentCheck("Not kept: the file is not what its name says it is")
    if len(attachment.data) > max_attachment_bytes():
        limit = max_attachment_bytes() // (1024 * 1024)
        return AttachmentCheck(f"Not kept: larger than the {limit} MB limit")
    return AttachmentCheck(content_type=content_type)


# Kept, but no text is taken from them: the note says why, so nobody thinks the text is lost.
_NO_TEXT_NOTES = {
    ".doc": "An older Word file (.doc): its text is not shown here (only PDF, Word .docx and "
    "plain text are). Open it to read it",
    ".odt": "An OpenDocument file (.odt): its text is not shown here (only PDF, Word .docx and "
    "plain text are). Open it to read it",
    ".rtf": "A rich text file (.rtf): its text is not shown here (only PDF, Word .docx and "
    "plain text are). Open it to read it",
}


def extract_text(attachment: Attachment) -> tuple[str, str]:
    """The text of a PDF, Word (.docx) or plain text attachment, and otherwise a note saying
    why there is none (an image, a kind of file whose text is not taken, a damaged file)."""
    extension = PurePath(attachment.filename.lower()).suffix
    try:
        if extension == ".pdf":
            text = _pdf_text(attachment.data)
        elif extension == ".docx":
            text = _docx_text(attachment.data)
        elif extension == ".txt":
            text = attachment.data.decode("utf-8", errors="replace")
        elif extension in IMAGE_EXTENSIONS:
            return "", "An image: open it to see it"
        elif extension in _NO_TEXT_NOTES:
            return "", _NO_TEXT_NOTES[extension]
        else:
            return "", "Text is not taken from this kind of file: open it to read it"
    except Exception:
        logger.info("could not extract text from %s", attachment.filename, exc_info=True)
        return "", "The text could not be read from this file (it may be damaged or protected)"
    text = tidy_text(text)[:MAX_EXTRACTED_CHARS]
    if not text:
        return "", "No text found (it may be a scanned image)"
    return text, ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValueError("encrypted")
    pages = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        pages.append(page.extract_text() or "")
    return "\n\n".join(pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)

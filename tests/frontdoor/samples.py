"""Synthetic emails and documents for the intake tests (no real person's data)."""

from __future__ import annotations

import io
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose page says ``text`` (built by hand: a valid xref table)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def docx_with_text(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def referral_email(
    *,
    subject: str = "Referral: concerns about Amy Carter",
    body: str = "Amy (born 3 April 2015) came to school with bruises on her arm today.",
    sender: str = "Dana Teacher <dana.teacher@harbour-primary.example>",
    attachments: list[tuple[str, str, bytes]] | None = None,
    message_id: str | None = None,
    date: object = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "frontdoor@example.test"
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="harbour-primary.example")
    if date is not None:
        message["Date"] = format_datetime(date)  # type: ignore[arg-type]
    message.set_content(body)
    for filename, mimetype, data in attachments or []:
        maintype, subtype = mimetype.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)

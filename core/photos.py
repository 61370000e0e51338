"""Photos residents and staff upload: real images only, size-limited, location data removed."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before they fill memory


class PhotoError(ValueError):
    pass


def clean_photo(upload) -> ContentFile:
    """Check an upload by its content (not its name) and re-encode it without EXIF/GPS metadata."""
    if upload.size > settings.CASE_PHOTO_MAX_BYTES:
        raise PhotoError(f"照片“{upload.name}”太大了（最大 {settings.CASE_PHOTO_MAX_BYTES // 1024 // 1024} MB）")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED:
            raise PhotoError(f"“{upload.name}”不是支持的图片格式（只收 JPG、PNG、WebP）")
        if image.width * image.height > MAX_PIXELS:
            raise PhotoError(f"照片“{upload.name}”像素太多")
        image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoError(f"“{upload.name}”不是有效的图片") from None
    fmt = image.format
    # Phones store "rotate me" in EXIF; turn the pixels first, or the photo shows sideways once EXIF is gone.
    image = ImageOps.exif_transpose(image)
    mode = "RGB" if fmt == "JPEG" or image.mode not in ("RGBA", "LA", "P") else "RGBA"
    pixels = image.convert(mode)
    # A new image from the raw pixels alone: EXIF (GPS position, device, time) cannot come along.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    clean.save(out, format=fmt, quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED[fmt]}")


def clean_photos(uploads) -> list[ContentFile]:
    if len(uploads) > settings.CASE_PHOTOS_MAX:
        raise PhotoError(f"最多上传 {settings.CASE_PHOTOS_MAX} 张照片")
    return [clean_photo(u) for u in uploads]

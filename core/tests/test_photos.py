"""Photos are turned upright before their metadata is dropped, so nothing shows sideways."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.photos import clean_photo


def test_a_phone_photo_marked_rotate_is_stored_upright_without_metadata():
    image = Image.new("RGB", (40, 20), "white")
    image.paste((255, 0, 0), (0, 0, 10, 20))  # a red band on the left edge
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; show rotated 90° clockwise
    exif[0x8825] = {2: (29.0, 0.0, 0.0)}  # a GPS position
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    cleaned = clean_photo(SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg"))
    stored = Image.open(io.BytesIO(cleaned.read()))
    assert stored.size == (20, 40)  # upright: what was the left edge is now the top
    assert stored.getpixel((10, 2))[0] > 200 and stored.getpixel((10, 2))[1] < 80
    assert not stored.getexif()

"""One normal form for phone numbers; control characters are refused, stored text is made XML-safe."""

import pytest

from core.phones import PhoneError, mask_phone, normalize_phone
from core.text import TextError, check_text, has_control_characters, xml_safe


@pytest.mark.parametrize(
    "raw",
    ["13900000001", "139 0000 0001", "139-0000-0001", "１３９００００００01", "13９00000001", "+8613900000001"],
)
def test_every_way_of_writing_a_number_gives_the_same_ascii_number(raw):
    assert normalize_phone(raw) == "13900000001"


@pytest.mark.parametrize("raw", ["1390000000", "139000000012", "23900000001", "1390000000a", "١٣٩٠٠٠٠٠٠٠١"])
def test_what_is_not_a_mainland_mobile_number_is_refused(raw):
    with pytest.raises(PhoneError, match="11 位手机号"):
        normalize_phone(raw)


def test_empty_stays_empty_and_masking_hides_the_middle():
    assert normalize_phone("  ") == ""
    assert mask_phone("13900000001") == "139****0001"
    assert mask_phone("") == ""


@pytest.mark.parametrize("text", ["路灯\x00坏了", "a\x1bb", "\x7f", "x\u0085y"])
def test_control_characters_are_refused_with_the_field_named(text):
    assert has_control_characters(text)
    with pytest.raises(TextError, match="描述含有无法识别的控制字符"):
        check_text(text, "描述")


def test_ordinary_text_with_lines_and_tabs_passes_and_xml_safe_drops_only_what_xml_cannot_carry():
    assert check_text("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert xml_safe("好\x00的\x08\ufffe") == "好的"

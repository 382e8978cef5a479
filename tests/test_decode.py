"""The strict decoding ladder: each rung on real Chinese text, and the failures it must refuse."""

import codecs

import pytest

from nianbao.decode import DecodeError, decode_bytes

TEXT = "本机关2022年共收到政府信息公开申请34件，行政复议0件。"
TRAD = "本機關2016年未收到政府資訊公開申請，未發生行政復議和行政訴訟。"


def test_utf8_is_taken_as_is():
    d = decode_bytes(TEXT.encode("utf-8"))
    assert (d.text, d.encoding, d.rule, d.replacement_count) == (TEXT, "utf-8", "utf-8", 0)


def test_utf8_with_bom_is_decoded_without_the_bom():
    d = decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert (d.text, d.encoding, d.rule) == (TEXT, "utf-8-sig", "bom")


def test_gbk_without_declaration_decodes_as_gb18030():
    d = decode_bytes(TEXT.encode("gbk"))
    assert (d.text, d.encoding, d.rule) == (TEXT, "gb18030", "gb18030")


def test_gb18030_rare_characters_survive():
    rare = "䶮㐀𠀀" + TEXT  # CJK extension A/B chars that GBK lacks
    d = decode_bytes(rare.encode("gb18030"))
    assert d.text == rare and d.encoding == "gb18030"


def test_declared_gb2312_meta_is_read_as_gb18030():
    html = '<html><head><meta charset="gb2312"></head><body>' + TEXT + "</body></html>"
    d = decode_bytes(html.encode("gb18030"))
    assert (d.encoding, d.rule) == ("gb18030", "declared")
    assert TEXT in d.text


def test_big5_is_recognised():
    d = decode_bytes(TRAD.encode("big5"))
    assert (d.text, d.encoding, d.rule) == (TRAD, "big5", "big5")


def test_utf16_without_bom():
    d = decode_bytes(TEXT.encode("utf-16-le"))
    assert (d.text, d.encoding) == (TEXT, "utf-16-le")


@pytest.mark.parametrize("raw", [b"", b" \n\t \r\n"])
def test_empty_input_is_refused_as_empty_file(raw):
    with pytest.raises(DecodeError) as e:
        decode_bytes(raw)
    assert e.value.reason == "empty_file"


def test_bytes_that_are_no_text_encoding_are_undecodable():
    with pytest.raises(DecodeError) as e:
        decode_bytes(bytes(range(256)) * 8)
    assert e.value.reason == "undecodable"


def test_many_replacement_characters_are_refused():
    with pytest.raises(DecodeError) as e:
        decode_bytes(("申请" + "\ufffd" * 5).encode("utf-8") * 10)
    assert e.value.reason == "replacement_chars"

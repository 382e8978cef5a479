"""One report in two formats is one report; one body's reports for two years are two."""

import numpy as np

from nianbao.dedupe import _NOISE, Candidate, _runs, find_duplicates, jaccard, shingles

BODY = (
    "一、总体情况 2022年,本局坚持以公开为常态、不公开为例外,全年主动公开政府信息356条,其中政策文件12件。"
    "二、收到和处理政府信息公开申请情况 全年收到政府信息公开申请14件,予以公开9件,部分公开2件,无法提供3件。"
    "三、政府信息公开行政复议、行政诉讼情况 全年未发生政府信息公开行政复议和行政诉讼。"
)


def cand(doc_id: str, year: int, text: str, richness: int, agency: str = "某县交通运输局") -> Candidate:
    return Candidate(doc_id, f"/in/{doc_id}", agency, year, text, richness)


def test_the_richer_of_two_copies_of_one_report_is_kept():
    html = cand("a" * 64, 2022, BODY, richness=7)
    pdf = cand(
        "b" * 64, 2022, BODY.replace("。", "。\n- 2 -\n"), richness=207
    )  # same text, page breaks, tables
    [dup] = find_duplicates([html, pdf])
    assert (dup.document_id, dup.duplicate_of) == (html.document_id, pdf.document_id)
    assert dup.similarity > 0.9


def test_reports_of_one_body_for_different_years_are_never_merged():
    this_year = cand("a" * 64, 2022, BODY, 7)
    last_year = cand("b" * 64, 2021, BODY.replace("2022", "2021"), 7)
    assert find_duplicates([this_year, last_year]) == []


def test_different_reports_of_one_body_year_are_kept_when_their_texts_differ():
    a = cand("a" * 64, 2022, BODY, 7)
    b = cand(
        "b" * 64, 2022, "本机关2022年度财政预算执行情况和其他财政收支情况的报告,全文共分五个部分。" * 5, 1
    )
    assert find_duplicates([a, b]) == []


def test_documents_without_agency_or_year_are_not_compared():
    assert (
        find_duplicates(
            [cand("a" * 64, 2022, BODY, 1, agency=None), cand("b" * 64, 2022, BODY, 2, agency=None)]
        )
        == []
    )


def _runs_as_sets(text: str) -> set[str]:
    """The shingles by their definition: 4-char runs of the text without digits, spaces and punctuation."""
    t = _NOISE.sub("", text)
    return {t[i : i + 4] for i in range(max(0, len(t) - 4 + 1))}


def test_shingles_are_exactly_the_four_character_runs_whatever_their_form():
    supplementary = BODY.replace(
        "本局", "𠀀局"
    )  # a character outside the Basic Multilingual Plane: the set form
    texts = [BODY, BODY.replace("。", "。\n- 2 -\n"), supplementary, "全年３件。\u3000", "一二", ""]
    for text in texts:
        assert _runs(shingles(text)) == _runs_as_sets(text)
    assert isinstance(shingles(BODY), np.ndarray) and isinstance(shingles(supplementary), set)
    for a in texts:
        for b in texts:
            x, y = _runs_as_sets(a), _runs_as_sets(b)
            assert jaccard(shingles(a), shingles(b)) == (len(x & y) / len(x | y) if x and y else 0.0)
    assert jaccard(shingles(BODY), shingles(supplementary)) == 96 / 104  # 4 runs changed on each side

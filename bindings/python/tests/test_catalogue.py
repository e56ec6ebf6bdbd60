"""The catalogue, forms and fee quotes from Python."""

from decimal import Decimal

import pytest

import eservices
from eservices import Catalogue, FieldErrorCode, FieldType, GovError, PaymentDue

from conftest import PASSPORT

DAY = "2026-03-01"


def test_lesotho_catalogue_lists_services_with_their_forms(lesotho):
    assert "illustrative" in lesotho.notice()
    assert any(m.id == "home-affairs" for m in lesotho.ministries())
    assert {"general", "pensioner"} <= {c.id for c in lesotho.applicant_categories()}
    services = {s.id: s for s in lesotho.services()}
    passport = services[PASSPORT]
    assert passport == lesotho.service(PASSPORT)
    assert passport.ministry == "home-affairs"
    assert passport.name.en == "Ordinary passport"
    assert passport.payment_due == PaymentDue.UPFRONT
    assert passport.document_type == "ls.gov.home-affairs.passport"
    assert passport.fee_schedules[0].legal_reference == "Legal Notice No. 95 of 2019"
    assert passport.fee_schedules[0].currency == "LSL"
    fields = {f.id: f for f in passport.fields}
    pages = fields["pages"]
    assert pages.kind == FieldType.CHOICE and pages.required
    assert [c.id for c in pages.choices] == ["32", "64"]
    assert pages.choices[1].label.en == "64 pages"
    assert fields["photo"].limits.media_types == ["image/jpeg", "image/png"]
    assert fields["date_of_birth"].limits.not_in_future
    when = fields["previous_passport_number"].required_when
    assert (when.field, when.equals) == ("replacement", "true")


def test_a_64_page_urgent_passport_costs_m800(lesotho):
    q = lesotho.quote(PASSPORT, {"pages": "64", "urgent": "true"}, "general", DAY)
    assert (q.total, q.subtotal, q.tax_total, q.currency) == ("800.00", "800.00", "0.00", "LSL")
    assert [(l.rule_id, l.description, l.amount) for l in q.lines] == [
        ("booklet", "Passport booklet (64 pages)", "300.00"),
        ("urgent", "Urgent processing", "500.00"),
    ]
    assert q.legal_reference == "Legal Notice No. 95 of 2019"
    assert q.lines[0].legal_reference == q.legal_reference
    assert q.payment_due == PaymentDue.UPFRONT and q.date == DAY
    assert len(q.quote_id) == 43
    assert '"total":{"amount":"800.00","currency":"LSL"}' in q.json
    assert eservices.canonical_json(q.json) == q.json
    # The same inputs always give the same quote, id and bytes.
    assert lesotho.quote(PASSPORT, {"urgent": "true", "pages": "64"}, "general", DAY) == q


def test_exemptions_and_taxes_cross_as_decimal_strings(lesotho):
    relief = lesotho.quote(
        "home-affairs.national-id.replacement", {"cause": "lost"}, "pensioner", DAY
    )
    assert relief.exemptions and relief.exemptions[0].category == "pensioner"
    assert Decimal(relief.exemptions[0].amount) < 0
    vat = lesotho.quote(
        "finance.tax-clearance-certificate", {"courier_delivery": "true", "purpose": "tender"},
        "general", DAY,
    )
    assert vat.taxes and vat.taxes[0].percent == "15"
    for q in (relief, vat):
        charges = sum(Decimal(l.amount) for l in q.lines)
        waived = sum(Decimal(e.amount) for e in q.exemptions)
        taxes = sum(Decimal(t.amount) for t in q.taxes)
        assert Decimal(q.subtotal) == charges + waived
        assert Decimal(q.total) == Decimal(q.subtotal) + taxes
        assert Decimal(q.tax_total) == taxes


def test_a_stored_quote_reads_back_and_an_altered_one_is_refused(lesotho):
    q = lesotho.quote(PASSPORT, {"pages": "32"}, "general", DAY)
    assert eservices.quote_from_json(q.json) == q
    with pytest.raises(GovError.Integrity) as caught:
        eservices.quote_from_json(q.json.replace("130.00", "13.00"))
    assert caught.value.code == "quote_id_mismatch"
    with pytest.raises(GovError.InvalidInput) as caught:
        eservices.quote_from_json('{"quote_id": "x"}')
    assert caught.value.code == "invalid_json"


def test_form_validation_returns_every_field_error(lesotho):
    answers = {"pages": "63", "phone": "12345", "date_of_birth": "2999-01-01", "colour": "red"}
    errors = lesotho.validate_answers(PASSPORT, answers, DAY)
    by_field = {e.field: e.code for e in errors}
    assert by_field["pages"] == FieldErrorCode.NOT_A_CHOICE
    assert by_field["phone"] == FieldErrorCode.INVALID_PHONE
    assert by_field["date_of_birth"] == FieldErrorCode.IN_FUTURE
    assert by_field["surname"] == FieldErrorCode.REQUIRED
    assert by_field["colour"] == FieldErrorCode.UNKNOWN_FIELD
    assert all(e.reason for e in errors)
    assert [e.field for e in errors][-1] == "colour"  # unknown answers come last


def test_quote_with_bad_answers_carries_field_errors(lesotho):
    with pytest.raises(GovError.InvalidInput) as caught:
        lesotho.quote(PASSPORT, {"pages": "63", "urgent": "maybe"}, "general", DAY)
    err = caught.value
    assert err.code == "invalid_answers"
    assert [(e.field, e.code) for e in err.field_errors] == [
        ("pages", FieldErrorCode.NOT_A_CHOICE),
        ("urgent", FieldErrorCode.INVALID_TYPE),
    ]


def test_unknown_things_are_not_found(lesotho):
    for call in (
        lambda: lesotho.service("home-affairs.passport.diplomatic"),
        lambda: lesotho.quote("nope", {}, "general", DAY),
        lambda: lesotho.validate_answers("", {}, DAY),
    ):
        with pytest.raises(GovError.NotFound) as caught:
            call()
        assert caught.value.code == "unknown_service"
    with pytest.raises(GovError.NotFound) as caught:
        lesotho.quote(PASSPORT, {"pages": "32"}, "general", "1990-01-01")
    assert caught.value.code == "no_schedule_in_force"
    with pytest.raises(GovError.InvalidInput) as caught:
        lesotho.quote(PASSPORT, {"pages": "32"}, "millionaire", DAY)
    assert caught.value.code == "unknown_applicant_category"


@pytest.mark.parametrize("day", ["", "2026-02-30", "01/03/2026", "2026-3-1", "2026-03-01T00:00:00Z", "tomorrow"])
def test_bad_dates_are_invalid_time(lesotho, day):
    with pytest.raises(GovError.InvalidInput) as caught:
        lesotho.quote(PASSPORT, {"pages": "32"}, "general", day)
    assert caught.value.code == "invalid_time"
    with pytest.raises(GovError.InvalidInput):
        lesotho.validate_answers(PASSPORT, {}, day)


def test_bad_catalogue_json_names_the_path():
    with pytest.raises(GovError.InvalidInput) as caught:
        Catalogue.from_json('{"format": 1}')
    assert caught.value.code == "invalid_catalogue"
    assert "at $" in caught.value.detail
    broken = Catalogue.lesotho().to_json().replace('"amount": "300.00"', '"amount": "-300.00"', 1)
    with pytest.raises(GovError.InvalidInput) as caught:
        Catalogue.from_json(broken)
    assert caught.value.code == "negative_amount"
    assert "$.services[0].fee_schedules[0].rules[0]" in caught.value.detail
    for text in ("", "{", '{"format": 1.0}', "[]", '{"format": 1, "format": 1}'):
        with pytest.raises(GovError.InvalidInput) as caught:
            Catalogue.from_json(text)
        assert caught.value.code in ("invalid_json", "invalid_catalogue")


def test_a_catalogue_round_trips_through_its_json(lesotho):
    again = Catalogue.from_json(lesotho.to_json())
    assert again.services() == lesotho.services()


def test_huge_strings_are_refused_not_crashed(lesotho):
    huge = "x" * (4 * 1024 * 1024)
    with pytest.raises(GovError.InvalidInput) as caught:
        Catalogue.from_json(huge)
    assert caught.value.code == "invalid_json" and len(caught.value.detail) < 1000
    with pytest.raises(GovError.NotFound) as caught:
        lesotho.quote(huge, {}, "general", DAY)
    assert len(caught.value.detail) < 1000
    with pytest.raises(GovError.InvalidInput) as caught:
        lesotho.quote(PASSPORT, {"pages": "32"}, huge, DAY)
    assert caught.value.code == "unknown_applicant_category" and len(caught.value.detail) < 1000
    errors = lesotho.validate_answers(PASSPORT, {"surname": huge, "pages": huge}, DAY)
    assert ("surname", FieldErrorCode.TOO_LONG) in {(e.field, e.code) for e in errors}
    assert ("pages", FieldErrorCode.NOT_A_CHOICE) in {(e.field, e.code) for e in errors}
    assert all(len(e.reason) < 300 for e in errors)
    with pytest.raises(GovError.InvalidInput) as caught:
        lesotho.quote(PASSPORT, {"pages": "32"}, "general", huge)
    assert caught.value.code == "invalid_time" and len(caught.value.detail) < 1000


def test_lesotho_today_is_a_date():
    today = eservices.lesotho_today()
    assert len(today) == 10 and today[4] == "-"

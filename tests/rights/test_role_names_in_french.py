"""Officer roles have French names (the rights app's own catalogue), CBSA's where CBSA has one."""

from django.utils import translation

from rights import OfficerRole


def test_every_officer_role_has_a_french_name_of_its_own():
    english = [str(role.label) for role in OfficerRole]
    with translation.override("fr"):
        french = [str(role.label) for role in OfficerRole]
    assert all(fr != en for fr, en in zip(french, english, strict=True)), list(zip(english, french, strict=True))
    assert len(set(french)) == len(OfficerRole)


def test_a_border_services_officer_is_named_as_cbsa_names_one_in_french():
    with translation.override("fr"):
        assert str(OfficerRole.BORDER.label).startswith("Agent des services frontaliers")

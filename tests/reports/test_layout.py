import pytest
from fpdf.drawing import DeviceGray, DeviceRGB

from formatting.palette import contrast
from questionnaires.loader import default_questionnaire
from reports.layout import PageContext, ProfilePDF, Writer

QUESTIONNAIRE = default_questionnaire()


def _hex(colour: DeviceRGB | DeviceGray) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in colour.colors)


@pytest.mark.parametrize("tier_id", [tier.id for tier in QUESTIONNAIRE.tiers])
def test_tier_cells_are_readable_in_the_pdf(tier_id: str) -> None:
    ctx = PageContext(lang="fr", header_text="", footer_text="", draft_mark=None, illustrative_mark=None)
    style = Writer(ProfilePDF(ctx), QUESTIONNAIRE, "fr").tier_style(tier_id)
    assert isinstance(style.fill_color, DeviceRGB | DeviceGray) and isinstance(style.color, DeviceRGB | DeviceGray)
    assert contrast(_hex(style.color), _hex(style.fill_color)) >= 4.5

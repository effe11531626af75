"""Journey 3: a committee member signs in, sees only published papers, downloads one as a PDF,
and is refused the address of a draft."""

import io
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from reports import services
from tests.browser.helpers import menu_link, section_links, sign_in
from tests.reports.factories import ReportFactory, publish

PUBLISHED = "Professional Standards Support Programme: one year on"
DRAFT = "Covert investigations: draft for the Commander"


def test_committee_member_downloads_a_published_paper_and_is_refused_a_draft(
    journey, planner, committee_member, celery_in_process
):
    published = ReportFactory(created_by=planner, number="10", title=PUBLISHED)
    services.block_add(published, user=planner, kind="programme-summary")
    publish(published, planner)  # committed at once: the PDF job runs in-process
    published.refresh_from_db()
    assert published.pdf_sha256
    draft = ReportFactory(created_by=planner, number="11", title=DRAFT)
    page = journey.page

    sign_in(page, committee_member)
    assert [label for label, _ in section_links(page)] == ["Committee papers"]
    journey.step("home")

    menu_link(page, "Committee papers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committee papers")
    papers = page.locator("main")
    expect(papers).to_contain_text(PUBLISHED)
    expect(papers).not_to_contain_text(DRAFT)
    journey.step("published papers only")

    page.get_by_role("link", name=PUBLISHED).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PUBLISHED)
    assert page.get_by_role("button", name="Approve").count() == 0
    journey.step("published paper")

    link = page.get_by_role("link", name="Download the PDF of report 10")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "report-10-2008-01-17-v1.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    text = "".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(content)).pages)
    assert PUBLISHED in " ".join(text.split())
    # The same address, fetched with this member's session, says what it is.
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.body() == content

    # A draft's addresses answer "not found", as for a report that does not exist.
    for step, address in (
        ("draft refused", f"/reports/{draft.pk}/"),
        ("draft preview refused", f"/reports/{draft.pk}/preview/"),
        ("draft pdf refused", f"/reports/{draft.pk}/pdf/"),
    ):
        response = page.goto(address)
        assert response.status == 404, address
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.locator("main")).not_to_contain_text(DRAFT)
        journey.step(step)

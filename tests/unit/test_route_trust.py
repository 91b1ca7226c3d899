"""The batch's trust in served pages: earned per verdict against the browser, sampled, lost at once."""

from __future__ import annotations

from po_downloader.engine.download_route import Attachment
from po_downloader.engine.events import ProbeResult
from po_downloader.engine.models import HttpPlan, RouteMode
from po_downloader.engine.run.route_trust import RouteTrust
from po_downloader.engine.run.served_check import difference, page_view

A = Attachment("a.pdf", "url", "http://h/f/1", "k1")
B = Attachment("b.pdf", "url", "http://h/f/2", "k2")


def test_nothing_is_trusted_until_the_browser_agreed_and_lists_need_two() -> None:
    trust = RouteTrust(RouteMode.AUTO)
    assert trust.plan() == HttpPlan(frozenset(), False)
    trust.probe(ProbeResult.AGREED, "LISTED")
    assert trust.plan() == HttpPlan(frozenset(), False)
    trust.probe(ProbeResult.AGREED, "LISTED")
    trust.probe(ProbeResult.AGREED, "NOT_FOUND")
    plan = trust.plan()
    assert plan is not None and plan.trusted == {"LISTED", "NOT_FOUND"}


def test_one_trusted_po_in_twenty_is_still_checked_through_the_browser() -> None:
    trust = RouteTrust(RouteMode.AUTO, sample_every=20)
    for _ in range(2):
        trust.probe(ProbeResult.AGREED, "LISTED")
    plans = [trust.plan() for _ in range(40)]
    assert [n for n, p in enumerate(plans) if p is not None and p.check] == [19, 39]


def test_a_disagreement_ends_http_for_the_rest_of_the_batch() -> None:
    trust = RouteTrust(RouteMode.AUTO)
    for _ in range(2):
        trust.probe(ProbeResult.AGREED, "LISTED")
    assert trust.probe(ProbeResult.DISAGREED, "LISTED", "the lists differ") == "the lists differ"
    assert trust.plan() is None and trust.distrusted == "the lists differ"
    assert trust.probe(ProbeResult.DISAGREED, "LISTED", "again") == ""  # said once


def test_a_tenant_whose_pages_prove_nothing_is_asked_again_only_now_and_then() -> None:
    trust = RouteTrust(RouteMode.AUTO, sample_every=10, give_up_after=3)
    for _ in range(3):
        assert trust.plan() is not None
        trust.probe(ProbeResult.UNPROVABLE, "", "a spinner")
    asked = [trust.plan() is not None for _ in range(20)]
    assert asked.count(True) == 2  # one probe in ten
    trust.probe(ProbeResult.AGREED, "EMPTY")  # a page that did prove something: asked again every time
    assert all(trust.plan() is not None for _ in range(5))


def test_browser_mode_never_plans_http_and_http_mode_trusts_without_checks() -> None:
    assert RouteTrust(RouteMode.BROWSER).plan() is None
    plan = RouteTrust(RouteMode.HTTP).plan()
    assert plan is not None and plan.trusted == {"LISTED", "EMPTY", "NOT_FOUND", "NO_ACCESS"}
    assert not plan.check


def test_two_reads_agree_only_on_verdict_list_supplier_and_source() -> None:
    served = page_view("LISTED", [A, B], "Acme", "PO")
    assert difference(served, page_view("LISTED", [B, A], "Acme", "PO")) == ""  # order is no difference
    assert "lists differ" in difference(served, page_view("LISTED", [A], "Acme", "PO"))
    assert "'b.pdf'" in difference(served, page_view("LISTED", [A], "Acme", "PO"))
    click = Attachment("b.pdf", "click", "", "k3")
    assert difference(served, page_view("LISTED", [A, click], "Acme", "PO"))
    assert "supplier" in difference(served, page_view("LISTED", [A, B], "Acme Ltd", "PO"))
    assert "EMPTY" in difference(served, page_view("EMPTY"))
    assert "requisition" in difference(served, page_view("LISTED", [A, B], "Acme", "requisition 3"))


def test_what_http_decided_is_handed_back_once_when_trust_is_lost() -> None:
    from po_downloader.engine.models import PoNumber, PoStatus
    from po_downloader.engine.outcome import PoOutcome

    trust = RouteTrust(RouteMode.AUTO)
    one, two = PoNumber("PO1", "1"), PoNumber("PO2", "2")
    by_http = PoOutcome(PoStatus.COMPLETED, route="http")
    assert trust.keep(one, by_http)
    assert trust.keep(two, PoOutcome(PoStatus.COMPLETED, route="browser"))
    trust.probe(ProbeResult.DISAGREED, "LISTED", "lists differ")
    assert trust.take_decided() == [(one, by_http)]
    assert trust.take_decided() == []
    assert not trust.keep(two, by_http)  # decided over HTTP after trust was lost: worked again


def test_error_pages_a_script_drawn_tenant_serves_whole_do_not_keep_the_probes_going() -> None:
    trust = RouteTrust(RouteMode.AUTO, sample_every=10, give_up_after=3)
    trust.probe(ProbeResult.AGREED, "NOT_FOUND")
    for _ in range(3):
        trust.probe(ProbeResult.UNPROVABLE, "", "a spinner")
    assert [trust.plan() is not None for _ in range(10)].count(True) == 1


def test_lists_go_over_http_only_once_trusted_and_never_after_a_disagreement() -> None:
    """The controller loads no page ahead while this is True: a preloaded page would keep the PO, and the
    ones after it, in the browser."""
    trust = RouteTrust(RouteMode.AUTO)
    assert not trust.lists_over_http()
    trust.probe(ProbeResult.AGREED, "LISTED")
    trust.probe(ProbeResult.AGREED, "NOT_FOUND")
    assert not trust.lists_over_http()  # one agreeing list is not yet trust
    trust.probe(ProbeResult.AGREED, "LISTED")
    assert trust.lists_over_http()
    trust.probe(ProbeResult.DISAGREED, "LISTED", "the lists differ")
    assert not trust.lists_over_http()
    assert RouteTrust(RouteMode.HTTP).lists_over_http()
    assert not RouteTrust(RouteMode.BROWSER).lists_over_http()

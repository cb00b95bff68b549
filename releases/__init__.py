"""Goods released and not yet accounted for (issue #17 items 2 and 7).

A release (RMD: release on minimum documentation) is recorded under its transaction number, the
importer's RM account, the business that obtained it (the importer or its broker), the day and the
estimated value for duty. Until a CAD is submitted under that transaction number the release is
"awaiting accounting", with the deadline of ledger.billing_cycle.accounting_deadline (the account's
accounting program on the release day): the importer's dashboard and the broker's worklist show them,
overdue ones first. Nothing is stored when a CAD comes in: the submitted CAD clears it by its number.
"""

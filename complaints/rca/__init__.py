"""Root-cause analysis of cases: 5 Whys, Ishikawa and Pareto.

An analysis covers one case or a group of cases treated as one problem. The
writes and the analysis's workflow are in :mod:`~complaints.rca.services`,
the reads and the Pareto breakdowns in :mod:`~complaints.rca.selectors`, the
fishbone diagram in :mod:`~complaints.rca.fishbone`; the pages are
:mod:`~complaints.rca.views` (under ``/complaints/analyses/``), with their
forms, admin and demo data beside them. The models live with the other
complaints models (:mod:`complaints.models.rca`): they belong to the
complaints app and point at its cases.
"""

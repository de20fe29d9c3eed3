"""Reporting: the pipeline from a company's inputs to published pages, one room per stage.

=======================  ===================================================================
module                   what it does
=======================  ===================================================================
:mod:`.defaults`         the audiences, the default seed and draws, the report's parameters
:mod:`.content`          the report's sections as HTML, computed in the kernel (no runner)
:mod:`.runner`           papermill: validate, list the jobs, run the template on warm kernels
:mod:`.publishing`       the output folder, the offline-safety scan, atomic pages, the index
:mod:`.statements`       personal bonus statements (Jinja, in this process)
=======================  ===================================================================

The arrows: ``runner -> content`` never the other way (the content runs inside the kernel
and is tested without one); ``runner -> publishing``; ``statements -> content.gates,
publishing``; everything reads ``defaults``. The template notebook the runner executes is
``planning/notebooks/quarterly_report.ipynb``.
"""

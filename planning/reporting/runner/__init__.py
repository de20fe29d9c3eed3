"""Quarterly reports: run the template notebook with papermill, render HTML, publish safely.

This is the only package that imports papermill, nbclient and nbconvert. Its modules:
:mod:`.jobs` (validate, list the jobs), :mod:`.parameters` (the parameter whitelist),
:mod:`.kernel` (the warm kernel), :mod:`.render` (notebook to static HTML) and :mod:`.batch`
(one job, and the batch on worker processes). The safety check, atomic publishing and the
index are :mod:`planning.reporting.publishing`'s (the statements use them too). No names
are re-exported here: import each from its module.

The pipeline for one report
---------------------------
1. **Validate first.** :func:`plan_reports` loads the dataset (and an alternative plan),
   checks every period and computes its bonus, and hashes every input file. Bad input
   raises :class:`~planning.errors.InputError` before any kernel starts; nothing is written.
2. **Safe parameters.** :func:`check_parameters` accepts only names the template declares
   (``papermill.inspect_notebook``) that are identifiers, and only plain JSON values
   (``str``, ``int``, finite ``float``, ``bool``, ``None`` and lists / string-keyed dicts of
   them, exact types only). Parameters are paths, the period, the audience, seed, draws
   and the inputs' SHA-256, never salaries: papermill stores parameters in the notebook.
3. **Private execution.** The template runs in a private temporary directory on a kernel
   whose spec is written there too (``sys.executable -m ipykernel_launcher``), so the
   report always runs on this environment's Python, whatever kernels the user has
   installed. The kernel talks over IPC sockets in that directory, not TCP ports, which
   also removes the port race of parallel start-ups.
4. **Static HTML.** nbconvert's ``HTMLExporter`` with the ``planning_report`` template
   (JupyterLab's look minus its require.js / MathJax / Mermaid / widget CDN scripts), input
   cells excluded, error and stderr outputs dropped, widget state dropped. The page is then
   checked (:func:`~planning.reporting.publishing.html_problems`): no script, no event handler attribute, nothing loaded
   from outside the file.
5. **Atomic publishing.** The HTML goes to a temporary file in the destination folder, is
   fsynced and renamed over ``OUT/<period>-<audience>.html``; ``OUT/index.html`` is rebuilt
   from the reports present. A failed or interrupted render leaves the previous report as it
   was and no partial file.

The batch
---------
:func:`render_reports` runs jobs on up to ``os.cpu_count()`` worker processes. Each worker
keeps **one warm kernel** and runs the template for job after job on it through papermill
(``km=``/``kc=`` reuse the kernel and its client; the names of the last run are cleared first), so the
kernel start and the imports of pandas, matplotlib and planning are paid once per worker, not
once per report. Kernel start-up failures (``ZMQError``, ``DeadKernelError``,
``RuntimeError``/``TimeoutError`` while starting) are retried a bounded number of times on a
fresh kernel.
"""

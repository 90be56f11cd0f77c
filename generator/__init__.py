"""The Cluster Grid generator: YAML records in, Markdown pages out, a MkDocs site at the end.

:func:`generator.build.build` runs the stages in order, and every command uses it (``build``,
``serve``, ``preview``, ``publish``; the benchmark runs the ``build`` command):

1. load      ``load.py``: ``load_document`` reads one file (regular files only, size-limited,
             YAML events scanned); ``load_content`` reads the content folder and the
             vocabularies (typed in ``vocab.py``) into a ``Content``.
2. validate  ``validate.py`` walks the specs of ``spec.py`` (the one declaration of the record
             format, which also gives ``schema.py``, ``skeleton.py`` and ``fmt.py``), then runs
             named rules per record and across records (``validate_content`` runs them all,
             the grid rows of grid.yaml included); ``problems.py`` formats every message.
3. model     ``model.py``: frozen dataclasses and the ``Catalog`` with its queries.
4. enrich    ``enrich.py`` (grid cells, completeness, listings), ``similar.py``, ``explore.py``,
             ``charts.py``/``geo.py``/``figures.py`` (SVG), ``gaps.py``, ``lang.py``;
             ``pages.py`` turns them into one typed page model per page (``ClusterPage``,
             ``ApproachPage``, ``ListingPage``, …) holding every string and link it prints;
             ``addresses.py`` says where each page sits; ``export.py``, ``feed.py`` and ``cite.py``
             (BibTeX, RIS and CSL-JSON citations) make the data files.
5. render    ``render.py`` maps each page model to its template in ``templates/`` (templates only
             loop and print); ``escape.py`` escapes every printed value for where it lands.
6. write     ``write.py``: guarded writes, atomic swaps of whole folders.
7. mkdocs    a stock MkDocs + Material build; ``offline.py`` is the small MkDocs plugin that runs
             search in a real Web Worker from ``file://``.
8. check     ``checks.py``: one pass over the built pages for remote requests and active content.
9. swap      the new site replaces the old only when every stage succeeded.

Stages 5 and 8 overlap with 7 for the cluster pages: ``overlap.py`` forks a second process that
renders them (into placeholders, in the order MkDocs reads them) and checks each page as MkDocs
writes it; ``CLUSTERGRID_SERIAL=1``, or a system without ``fork``, runs the same work in order.

A stage imports only from its own stage or earlier ones, and from the modules every stage may use:
``spec.py``, ``problems.py``, ``errors.py`` (every exception), ``escape.py``, ``lang.py``,
``resources.py`` (where templates, assets, overrides and schemas are installed), ``clock.py``,
``timings.py`` and ``progress.py`` (``tests/test_layout.py`` holds it to that).

Around them, importing from any stage and imported by none: ``build.py`` (the pipeline),
``overlap.py``, ``cli.py`` (arguments and messages only), ``stamp.py`` (skip unchanged builds),
``serve.py``, ``preview.py``, ``publish.py``, ``fmt.py``, ``schema.py``, ``skeleton.py``,
``gazetteer.py`` (``clustergrid locate``: coordinates from GeoNames), ``changes.py``/``scope.py`` (git
and message helpers).
"""

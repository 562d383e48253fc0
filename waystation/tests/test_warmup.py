"""A worker warms up before it takes a request: every template of the project compiles, and
a page's templates are then served from the cached loader without compiling again."""

from django.template import engines

from waystation.warmup import compile_templates


def _cached_loader():  # noqa: ANN202 - Django's cached loader has no public type
    engine = engines["django"].engine  # type: ignore[attr-defined]
    (loader,) = engine.template_loaders
    return loader


def test_every_project_template_compiles_into_the_cache() -> None:
    loader = _cached_loader()
    loader.reset()
    assert compile_templates() > 100
    cached = {key.split("-")[0] for key in loader.get_template_cache}
    assert {"people/person_list.html", "stations/dashboard.html", "base.html"} <= cached


def test_a_page_template_is_not_compiled_again_after_warm_up() -> None:
    loader = _cached_loader()
    loader.reset()
    compile_templates()
    compiled = loader.get_template_cache["people/person_list.html"]
    assert engines["django"].get_template("people/person_list.html").template is compiled

"""Hugo sites: found by their configuration, configured as `hugo config` shows, published as Hugo
publishes (content folders, bundles, drafts, dates), at the URLs Hugo gives, with front matter in
TOML and JSON read with its positions, and judged by Hugo's rules, not Jekyll's."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from pagelint.model.front_matter import locate, parse
from pagelint.model.generators.hugo_config import read as read_config
from pagelint.model.generators.hugo_dates import readable
from pagelint.model.generators.hugo_reading import HugoReading
from pagelint.model.site import SiteFinder

needs_hugo = pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed (apt-get install hugo): `hugo config` is not run")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


CONFIGURED = {
    "config.toml": 'title = "Root"\nbaseURL = "https://root.example/"\n[params]\n  a = 1\n  b = 1\n',
    "config/_default/hugo.yaml": "title: Folder\ncontentDir: stuff\npermalinks:\n  post: /p/:slug/\n",
    "config/_default/params.toml": "b = 2\nc = 3\n",
    "config/_default/menus.en.toml": '[[main]]\nname = "Home"\nurl = "/"\n',
    "config/_default/languages.yaml": "en:\n  contentDir: content/en\n  weight: 1\nfr:\n  contentDir: content/fr\n",
}


def go_value(value) -> str:
    """A value as `hugo config` (Go's %v) prints it."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{key}:{go_value(value[key])}" for key in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value(item) for item in value) + "]"
    return str(value)


def test_configuration_files_are_merged_folder_over_root(tmp_path):
    write(tmp_path, CONFIGURED)
    config = read_config(tmp_path, 1_000_000)
    assert config["title"] == "Folder" and config["baseurl"] == "https://root.example/" and config["contentdir"] == "stuff"
    assert config["params"] == {"a": 1, "b": 2, "c": 3}
    assert config["languages"]["en"]["menus"] == {"main": [{"name": "Home", "url": "/"}]}


def test_hugo_toml_wins_over_config_toml(tmp_path):
    write(tmp_path, {"hugo.toml": 'title = "Hugo"\n', "config.toml": 'title = "Config"\nbaseURL = "https://x/"\n'})
    assert read_config(tmp_path, 1_000_000) == {"title": "Hugo"}


@needs_hugo
def test_the_merge_is_what_hugo_config_shows(tmp_path):
    write(tmp_path, CONFIGURED)
    shown = subprocess.run(["hugo", "config", "--source", str(tmp_path)], capture_output=True, text=True, timeout=60, check=True).stdout
    lines = dict(line.split(" = ", 1) for line in shown.splitlines() if " = " in line)
    config = read_config(tmp_path, 1_000_000)
    for key in ("title", "baseurl", "contentdir", "params", "permalinks", "languages"):
        assert lines[key].strip('"') == go_value(config[key]), key


def test_a_site_is_found_by_its_configuration_not_by_a_config_file_elsewhere(tmp_path):
    write(tmp_path, {"hugo.yaml": "title: Ada\n", "content/post/a.md": "---\ntitle: A\n---\n",
                     "tool/config.toml": "x = 1\n", "tool/notes.md": "# notes\n", "config/_default/params.yaml": "a: 1\n"})
    finder = SiteFinder()
    site = finder.site_for(tmp_path / "content/post/a.md")
    assert site is not None and site.generator.name == "hugo" and site.root == tmp_path
    assert finder.site_for(tmp_path / "config/_default/params.yaml").root == tmp_path  # an environment's folder is no site
    assert finder.site_for(tmp_path / "tool/notes.md").root == tmp_path  # a config.toml without content/ is another tool's


def reading_of(tmp_path, files, config=None, now=datetime.datetime(2025, 1, 1)):
    write(tmp_path, files)
    return HugoReading(tmp_path, config or {}, now=now)


def test_what_hugo_publishes(tmp_path):
    rules = reading_of(tmp_path, {"content/post/a.md": "", "content/post/b/index.md": "", "content/post/b/notes.md": "",
                                  "content/home/index.md": "", "content/home/about.md": ""})
    published = lambda name, data=None: rules.with_front_matter(rules.by_path(PurePosixPath(name)), PurePosixPath(name), data or {})
    assert published("content/post/a.md").has_url
    assert published("content/post/b/index.md").has_url
    bundle_resource = published("content/post/b/notes.md")
    assert bundle_resource.read and not bundle_resource.has_url
    for folder in ("archetypes", "layouts", "themes/x", "static", "public", "resources"):
        assert not published(f"{folder}/default.md").read, folder
    assert not published("README.md").read
    assert not published("content/post/.hidden.md").read and not published("content/post/a.md~").read
    assert not published("content/post/a.md", {"draft": True}).read
    assert not published("content/post/a.md", {"date": "2999-01-01"}).read
    assert not published("content/post/a.md", {"date": "2020-01-01", "publishDate": "2999-01-01"}).read
    assert not published("content/post/a.md", {"expiryDate": datetime.date(2020, 1, 1)}).read
    assert published("content/post/a.md", {"date": "2020-01-01", "draft": False}).has_url  # positive control
    headless = published("content/home/index.md", {"headless": True})
    assert headless.read and not headless.has_url
    assert not published("content/post/a.md", {"build": {"render": "never"}}).has_url
    assert not published("content/post/a.md", {"_build": {"render": False}}).has_url


def test_a_folder_per_language_leaves_content_itself_unpublished(tmp_path):
    config = {"languages": {"en": {"contentdir": "content/en"}, "pt": {"contentdir": "content/pt"}}}
    rules = reading_of(tmp_path, {"content/en/post/a.md": "", "content/post/old.md": ""}, config)
    assert rules.by_path(PurePosixPath("content/en/post/a.md")).has_url
    assert not rules.by_path(PurePosixPath("content/post/old.md")).read
    assert rules.by_path(PurePosixPath("content/pt/post/a.md")).has_url


def test_ignore_files_of_the_configuration(tmp_path):
    rules = reading_of(tmp_path, {}, {"ignorefiles": [r"\.Rmd$", "_cache$", "[broken"]})
    assert not rules.by_path(PurePosixPath("content/post/a.Rmd")).read
    assert rules.by_path(PurePosixPath("content/post/a.md")).read


def site_urls(tmp_path, files):
    write(tmp_path, files)
    site = SiteFinder().site_for(tmp_path / "hugo.toml")
    urls: dict[str, str] = {}
    for page in site.permalinks.pages:
        urls.setdefault(page.source, page.url)  # its own URL, then its aliases
    return urls


def test_urls_as_hugo_gives_them(tmp_path):
    urls = site_urls(tmp_path, {
        "hugo.toml": 'removePathAccents = true\ndefaultContentLanguage = "en"\n[permalinks]\n  event = "/talk/:slug/"\n'
                     '[languages.en]\n  contentDir = "content/en"\n[languages.fr]\n  contentDir = "content/fr"\n',
        "content/en/post/My Post.md": "---\ntitle: A\n---\n",
        "content/en/post/b/index.md": "---\nslug: bee\n---\n",
        "content/en/event/x/index.md": "---\ntitle: \"MSPTDfast - Beat: Détection?\"\n---\n",
        "content/en/about.md": "---\nurl: /me/\n---\n",
        "content/fr/post/a.md": "---\ntitle: A\n---\n",
    })
    assert urls["content/en/post/My Post.md"] == "/post/my-post/"
    assert urls["content/en/post/b/index.md"] == "/post/bee/"
    assert urls["content/en/event/x/index.md"] == "/talk/msptdfast-beat-detection/"  # seen with hugo 0.111
    assert urls["content/en/about.md"] == "/me/"
    assert urls["content/fr/post/a.md"] == "/fr/post/a/"


def sources_of_urls(root: Path) -> dict[str, str]:
    return {page.url: page.source for page in SiteFinder().site_for(root / "hugo.toml").permalinks.pages}


def test_ugly_urls(tmp_path):
    urls = site_urls(tmp_path, {"hugo.toml": "uglyURLs = true\n", "content/post/a.md": "---\ntitle: A\n---\n"})
    assert urls["content/post/a.md"] == "/post/a.html"


def test_toml_positions_follow_tables_inline_tables_and_arrays_of_tables():
    text = ('+++\ntitle = "A"\nimage = { caption = "Fig", focal_point = "Smart" }\n"quoted key" = 1\n'
            '[[links]]\n  name = "Code"\n  url = "https://x"\n[[links]]\n  name = "Data"\n[extra.deep]\n  k = """a\nb"""\n  v = 2\n+++\n')
    block = locate(text)
    parse(text, block)
    spans = {path: (text[p.key_start:p.key_end], text[p.value_start:p.value_end]) for path, p in block.positions.items()}
    assert spans["image.caption"] == ("caption", '"Fig"')
    assert spans["quoted key"][0] == "quoted key"
    assert spans["links[1].name"] == ("name", '"Data"')
    assert spans["extra.deep.v"] == ("v", "2")
    assert spans["extra.deep.k"] == ("k", '"""a\nb"""')


def test_json_front_matter_only_where_the_generator_reads_it():
    text = '{\n  "title": "A",\n  "image": {"caption": "c"}\n}\nBody {% raw %}\n'
    assert locate(text) is None
    block = locate(text, json_allowed=True)
    parse(text, block)
    assert block.data == {"title": "A", "image": {"caption": "c"}}
    position = block.positions["image.caption"]
    assert text[position.key_start:position.key_end] == "caption" and text[block.end:].startswith("Body")


def test_the_dates_hugo_reads():
    assert all(map(readable, ["2023-05-01", "2023-05-01T10:00:00Z", "2023-05-01 10:00:00", "03 May 2023", datetime.date(2023, 5, 1)]))
    assert not any(map(readable, ["2023-05", "May 3, 2023", "2023-5-1", "2023-02-30", "2023-05-01T10:00", 2023]))


BLOX = {"hugo.yaml": "title: Ada Lovelace\nmodule:\n  imports:\n    - path: github.com/HugoBlox/hugo-blox-builder/modules/blox-tailwind\n"}


def test_hugo_blox_pages_get_its_schemas_and_no_jekyll_rule(lint):
    found = lint({**BLOX,
                  "content/publication/a/index.md": '---\ntitle: "A paper"\ndate: 2021-05-03\npublication_types: ["2"]\n'
                                                    'url_pdf: ""\nurl_code: ""\npublication_type: x\nURL_Slides: s.pdf\n---\n{% foo %} {{ x }}\n',
                  "archetypes/publication.md": '---\ntitle: "{{ .Name }}"\nurl_pdf: ""\n---\n{{< nope >}}\n'})
    codes = sorted((d["path"], d["code"]) for d in found if d["severity"] in ("error", "warning"))
    assert codes == [("content/publication/a/index.md", "F005")]  # `publication_type` near `publication_types`
    # positive control: the same front matter on a Jekyll site gets F006 and J006
    jekyll = lint({"jekyll/_config.yml": "title: Ada\n", "jekyll/page.md": '---\ntitle: A\npaperurl: ""\n---\n{% foo %}\n'}, paths=["jekyll"])
    assert {"F006", "J006"} <= {d["code"] for d in jekyll}


def test_unknown_shortcode_of_an_unfetched_module_is_information(lint):
    found = lint({**BLOX, "content/post/a.md": "---\ntitle: A\n---\n{{< callout >}}x{{< /callout >}} {{< metrics >}}\n"})
    shortcodes = [(d["code"], d["severity"]) for d in found if d["code"].startswith("H")]
    assert shortcodes == [("H002", "info")]
    plain = lint({"hugo.toml": "title = 'Ada'\n", "content/post/b.md": "---\ntitle: B\n---\n{{< metrics >}}\n"}, paths=["content/post/b.md"])
    assert [(d["code"], d["severity"]) for d in plain] == [("H002", "error")]


def test_a_link_to_a_page_at_its_hugo_url(lint):
    files = {"hugo.toml": "title = 'Ada'\n[permalinks]\n  event = '/talk/:slug/'\n",
             "content/event/x/index.md": "---\ntitle: My Talk\n---\n",
             "content/post/a.md": "---\ntitle: A\n---\n[talk](/talk/my-talk/) and [gone](/talk/other-talk/)\n"}
    found = [d for d in lint(files) if d["code"] == "L006"]
    assert [re.search(r"`(/talk/[^`]+)`", d["message"]).group(1) for d in found] == ["/talk/other-talk/"]


def test_prose_of_the_profile_is_spell_checked(lint):
    profile = "---\ntitle: Ada Lovelace\nrole: Profesor of Mathematics\nsuperuser: true\n---\n"
    found = lint({**BLOX, "content/authors/admin/_index.md": profile})
    assert [(d["line"], d["code"]) for d in found if d["code"] == "S001"] == [(3, "S001")]
    # `role` is prose on Hugo Blox's profile, not a key every template shows
    jekyll = lint({"jekyll/_config.yml": "title: Ada\n", "jekyll/about.md": profile.replace("superuser: true\n", "")}, paths=["jekyll"])
    assert not [d for d in jekyll if d["code"] == "S001"]


def test_the_url_index_reads_the_head_of_every_format(tmp_path):
    urls = site_urls(tmp_path, {
        "hugo.toml": "title = 'Ada'\n",
        "content/post/a.md": '+++\nslug = "ay"\n[image]\n  slug = "not-this"\n+++\n',
        "content/post/b.md": '{\n  "slug": "bee"\n}\n',
        "content/post/c.md": "---\nslug: 'sea' # the sea\naliases:\n  - /old-c/\ndraft: false\n---\n",
        "content/post/d.md": "---\nbuild:\n  render: never\n---\n",
        "content/post/e.md": "---\ndraft: true\n---\n",
    })
    assert urls["content/post/a.md"] == "/post/ay/" and urls["content/post/b.md"] == "/post/bee/"
    assert urls["content/post/c.md"] == "/post/sea/" and "/old-c/" in sources_of_urls(tmp_path)
    assert "content/post/d.md" not in urls and "content/post/e.md" not in urls

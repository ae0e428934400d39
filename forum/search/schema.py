"""The index layout. Bump SCHEMA_VERSION whenever fields or analysis change: the app
then sees the old index as missing and rebuilds it (forum/search/consistency.py)."""

from whoosh import fields

from forum.search.analyzer import forum_analyzer, spelling_analyzer

SCHEMA_VERSION = 1
INDEX_NAME = f"forum_v{SCHEMA_VERSION}"
TYPES = ("thread", "post", "material", "message")


def build_schema() -> fields.Schema:
    analyzer = forum_analyzer()
    return fields.Schema(
        # "post:12", "thread:3", "material:7", "message:40"
        key=fields.ID(unique=True, stored=True, sortable=True),
        type=fields.ID(stored=True),
        obj_id=fields.STORED(),
        # Display data that needs no database round trip: label, thread/room ids,
        # a material's page start offsets.
        extra=fields.STORED(),
        # Who may find it (forum/search/access.py): "c<cohort>" its members, "m<cohort>"
        # its moderators, "u<user>" one person, "all" everyone signed in.
        access=fields.KEYWORD(),
        # The cohort a document belongs to (materials: every cohort it is shared with), for
        # the cohort filter, and its thread ("t<id>") or room ("r<id>").
        cohort=fields.KEYWORD(),
        parent=fields.ID(),
        course=fields.ID(),
        author=fields.ID(),
        year=fields.ID(),
        created=fields.NUMERIC(stored=True, sortable=True, bits=64, signed=False),
        title=fields.TEXT(analyzer=analyzer, stored=True, chars=True, field_boost=2.0),
        body=fields.TEXT(analyzer=analyzer, stored=True, chars=True),
        words=fields.TEXT(analyzer=spelling_analyzer(), phrase=False),
    )

"""Teaching materials: stored files with their extracted pages, their course, who they
are shared with and the threads citing them."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.courses.models import Course
from forum.extensions import db
from forum.utils import utcnow

MATERIAL_STATUSES = ("queued", "indexed", "failed", "unsearchable")
MATERIAL_KINDS = ("pdf", "docx", "pptx", "xlsx", "txt", "markdown", "html")


material_shares = db.Table(
    "material_shares",
    db.Column("material_id", ForeignKey("materials.id", ondelete="CASCADE"), primary_key=True),
    db.Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_material_shares_cohort_id", "cohort_id"),
)


class Material(db.Model):
    """One stored file, kept once by content hash; never addressed by its original name."""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # Shown and offered as the download name only; the file is stored under its hash.
    original_filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(BigInteger)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    lecturer: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int | None] = mapped_column()
    # Comma-separated, each tag trimmed (see services.clean_tags).
    tags: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="queued")
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    page_count: Mapped[int] = mapped_column(default=0)
    college_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    indexed_at: Mapped[datetime | None] = mapped_column(DateTime)

    course: Mapped[Course | None] = relationship()
    uploaded_by: Mapped["User | None"] = relationship()  # noqa: F821
    cohorts: Mapped[list["Cohort"]] = relationship(  # noqa: F821
        secondary=material_shares, order_by="Cohort.id"
    )

    __table_args__ = (
        Index("ix_materials_course_id", "course_id"),
        Index("ix_materials_uploaded_by_id", "uploaded_by_id"),
        Index("ix_materials_created_at", "created_at"),
        Index("ix_materials_status", "status"),
        Index("ix_materials_year", "year"),
    )

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in (self.tags or "").split(",") if tag]

    def __repr__(self) -> str:
        return f"<Material {self.id} {self.title!r}>"


class MaterialPage(db.Model):
    """The text of one page (PDF), slide (PPTX), sheet (XLSX) or section of a material."""

    __tablename__ = "material_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("material_id", "number"),)


class MaterialCitation(db.Model):
    """A thread that links a material (a case thread's material, or a post's link)."""

    __tablename__ = "material_citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    thread: Mapped["Thread"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("material_id", "thread_id"),
        Index("ix_material_citations_thread_id", "thread_id"),
        Index("ix_material_citations_post_id", "post_id"),
    )

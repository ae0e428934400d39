"""The materials library, courses and search."""

from sqlalchemy import false, or_, select

from forum.materials.models import Material, material_shares
from forum.permissions.cohorts import can_manage_cohort, can_manage_site
from forum.permissions.viewer import viewer_of


def can_search(user) -> bool:
    """Every signed-in member searches; what they find is limited to what they may see."""
    return viewer_of(user).signed_in


def can_view_material(user, material) -> bool:
    """Admins, its uploader, everyone for college-wide material, else the cohorts it is shared with."""
    viewer = viewer_of(user)
    if not viewer.signed_in:
        return False
    if viewer.is_admin or material.college_wide or material.uploaded_by_id == viewer.id:
        return True
    roles = viewer.roles
    return any(cohort.id in roles for cohort in material.cohorts)


def visible_materials(stmt, user):
    """``stmt`` (a select over Material) narrowed to what ``can_view_material`` allows."""

    viewer = viewer_of(user)
    if not viewer.signed_in:
        return stmt.where(false())
    if viewer.is_admin:
        return stmt
    shared = (
        select(material_shares.c.material_id)
        .where(material_shares.c.cohort_id.in_(sorted(viewer.roles) or [-1]))
        .correlate(None)
    )
    return stmt.where(
        or_(Material.college_wide.is_(True), Material.uploaded_by_id == viewer.id, Material.id.in_(shared))
    )


def can_upload_material(user) -> bool:
    """Instructors (by site role or in any cohort) and admins add to the library."""
    viewer = viewer_of(user)
    if not viewer.signed_in:
        return False
    return viewer.is_admin or viewer.user.role == "instructor" or "instructor" in viewer.roles.values()


def can_share_material_with(user, cohort) -> bool:
    """Sharing with a cohort: its instructors and admins, while it is not archived."""
    return can_manage_cohort(user, cohort)


def can_share_college_wide(user) -> bool:
    """The whole college sees it: admins and instructors by site role."""
    viewer = viewer_of(user)
    return viewer.signed_in and (viewer.is_admin or viewer.user.role == "instructor")


def can_edit_material(user, material) -> bool:
    """Its uploader, admins, and the instructors of a cohort it is shared with."""
    viewer = viewer_of(user)
    if not viewer.signed_in:
        return False
    if viewer.is_admin or material.uploaded_by_id == viewer.id:
        return True
    return any(viewer.roles.get(cohort.id) == "instructor" for cohort in material.cohorts)


def can_manage_courses(user) -> bool:
    """Add courses to the college's catalogue and edit them: admins."""
    return can_manage_site(user)

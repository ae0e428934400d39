"""materials library and search: courses, materials, material_pages, material_shares,
material_citations, index_jobs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('lecturer', sa.String(length=120), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('name', name=op.f('uq_courses_name'))
    )
    op.create_table('index_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_index_jobs'))
    )
    with op.batch_alter_table('index_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_index_jobs_kind_target_id', ['kind', 'target_id'], unique=False)

    op.create_table('materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('lecturer', sa.String(length=120), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('tags', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.String(length=500), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('college_wide', sa.Boolean(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('indexed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_materials_course_id_courses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_materials_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_materials')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_materials_content_hash'))
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index('ix_materials_course_id', ['course_id'], unique=False)
        batch_op.create_index('ix_materials_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_materials_status', ['status'], unique=False)
        batch_op.create_index('ix_materials_uploaded_by_id', ['uploaded_by_id'], unique=False)
        batch_op.create_index('ix_materials_year', ['year'], unique=False)

    op.create_table('material_citations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_citations_material_id_materials'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_material_citations_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_material_citations_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_citations')),
    sa.UniqueConstraint('material_id', 'thread_id', name=op.f('uq_material_citations_material_id_thread_id'))
    )
    with op.batch_alter_table('material_citations', schema=None) as batch_op:
        batch_op.create_index('ix_material_citations_post_id', ['post_id'], unique=False)
        batch_op.create_index('ix_material_citations_thread_id', ['thread_id'], unique=False)

    op.create_table('material_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_pages_material_id_materials'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_pages')),
    sa.UniqueConstraint('material_id', 'number', name=op.f('uq_material_pages_material_id_number'))
    )
    op.create_table('material_shares',
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_material_shares_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_shares_material_id_materials'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('material_id', 'cohort_id', name=op.f('pk_material_shares'))
    )
    with op.batch_alter_table('material_shares', schema=None) as batch_op:
        batch_op.create_index('ix_material_shares_cohort_id', ['cohort_id'], unique=False)


def downgrade():
    with op.batch_alter_table('material_shares', schema=None) as batch_op:
        batch_op.drop_index('ix_material_shares_cohort_id')

    op.drop_table('material_shares')
    op.drop_table('material_pages')
    with op.batch_alter_table('material_citations', schema=None) as batch_op:
        batch_op.drop_index('ix_material_citations_thread_id')
        batch_op.drop_index('ix_material_citations_post_id')

    op.drop_table('material_citations')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index('ix_materials_year')
        batch_op.drop_index('ix_materials_uploaded_by_id')
        batch_op.drop_index('ix_materials_status')
        batch_op.drop_index('ix_materials_created_at')
        batch_op.drop_index('ix_materials_course_id')

    op.drop_table('materials')
    with op.batch_alter_table('index_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_index_jobs_kind_target_id')

    op.drop_table('index_jobs')
    op.drop_table('courses')

"""discussion features: case briefs and their materials, role-play roles, marks on
replies (accepted / endorsed / key contribution), thread summaries; private and
answer-first threads, staff notes, announcement boards

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 00:07:35.830041

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_briefs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('background', sa.Text(), nullable=False),
    sa.Column('background_html', sa.Text(), nullable=False),
    sa.Column('questions', sa.Text(), nullable=False),
    sa.Column('questions_html', sa.Text(), nullable=False),
    sa.Column('teaching_notes', sa.Text(), nullable=False),
    sa.Column('teaching_notes_html', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_case_briefs_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_case_briefs_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_briefs')),
    sa.UniqueConstraint('thread_id', name=op.f('uq_case_briefs_thread_id'))
    )
    with op.batch_alter_table('case_briefs', schema=None) as batch_op:
        batch_op.create_index('ix_case_briefs_updated_by_id', ['updated_by_id'], unique=False)

    op.create_table('case_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_case_materials_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_materials')),
    sa.UniqueConstraint('thread_id', 'material_id', name=op.f('uq_case_materials_thread_id_material_id'))
    )
    with op.batch_alter_table('case_materials', schema=None) as batch_op:
        batch_op.create_index('ix_case_materials_material_id', ['material_id'], unique=False)

    op.create_table('thread_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_thread_roles_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_roles_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_thread_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_roles')),
    sa.UniqueConstraint('thread_id', 'user_id', name=op.f('uq_thread_roles_thread_id_user_id'))
    )
    with op.batch_alter_table('thread_roles', schema=None) as batch_op:
        batch_op.create_index('ix_thread_roles_assigned_by_id', ['assigned_by_id'], unique=False)
        batch_op.create_index('ix_thread_roles_user_id', ['user_id'], unique=False)

    op.create_table('thread_summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_summaries_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_thread_summaries_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_summaries')),
    sa.UniqueConstraint('thread_id', name=op.f('uq_thread_summaries_thread_id'))
    )
    with op.batch_alter_table('thread_summaries', schema=None) as batch_op:
        batch_op.create_index('ix_thread_summaries_updated_by_id', ['updated_by_id'], unique=False)

    op.create_table('post_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_post_marks_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_marks_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_marks')),
    sa.UniqueConstraint('post_id', 'kind', name=op.f('uq_post_marks_post_id_kind'))
    )
    with op.batch_alter_table('post_marks', schema=None) as batch_op:
        batch_op.create_index('ix_post_marks_marked_by_id', ['marked_by_id'], unique=False)


    # Existing rows get the defaults: a discussion board, public threads, ordinary posts.
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='discussion'))

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_note', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('private', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('answer_first', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('answer_due_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('answer_due_at')
        batch_op.drop_column('answer_first')
        batch_op.drop_column('private')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('staff_note')

    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('post_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_post_marks_marked_by_id')

    op.drop_table('post_marks')
    with op.batch_alter_table('thread_summaries', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_summaries_updated_by_id')

    op.drop_table('thread_summaries')
    with op.batch_alter_table('thread_roles', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_roles_user_id')
        batch_op.drop_index('ix_thread_roles_assigned_by_id')

    op.drop_table('thread_roles')
    with op.batch_alter_table('case_materials', schema=None) as batch_op:
        batch_op.drop_index('ix_case_materials_material_id')

    op.drop_table('case_materials')
    with op.batch_alter_table('case_briefs', schema=None) as batch_op:
        batch_op.drop_index('ix_case_briefs_updated_by_id')

    op.drop_table('case_briefs')

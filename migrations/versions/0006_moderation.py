"""moderation: review queue, mutes, warnings, watched words; held/featured posts,
held/assigned/merged threads

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_review_items_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_review_items_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_review_items_resolved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_items_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items'))
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index('ix_review_items_cohort_id_status_created_at', ['cohort_id', 'status', 'created_at'], unique=False)
        batch_op.create_index('ix_review_items_post_id', ['post_id'], unique=False)
        batch_op.create_index('ix_review_items_resolved_by_id', ['resolved_by_id'], unique=False)
        batch_op.create_index('ix_review_items_target', ['target_type', 'target_id'], unique=False)
        batch_op.create_index('ix_review_items_user_id', ['user_id'], unique=False)

    op.create_table('mutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('muted_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_mutes_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['muted_by_id'], ['users.id'], name=op.f('fk_mutes_muted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mutes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mutes'))
    )
    with op.batch_alter_table('mutes', schema=None) as batch_op:
        batch_op.create_index('ix_mutes_cohort_id_created_at', ['cohort_id', 'created_at'], unique=False)
        batch_op.create_index('ix_mutes_muted_by_id', ['muted_by_id'], unique=False)
        batch_op.create_index('ix_mutes_user_id_cohort_id_until', ['user_id', 'cohort_id', 'until'], unique=False)

    op.create_table('warnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=1000), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_warnings_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_warnings_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_warnings_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_warnings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warnings'))
    )
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.create_index('ix_warnings_cohort_id', ['cohort_id'], unique=False)
        batch_op.create_index('ix_warnings_issued_by_id', ['issued_by_id'], unique=False)
        batch_op.create_index('ix_warnings_post_id', ['post_id'], unique=False)
        batch_op.create_index('ix_warnings_user_id_created_at', ['user_id', 'created_at'], unique=False)

    op.create_table('watched_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=200), nullable=False),
    sa.Column('is_regex', sa.Boolean(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('replacement', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_watched_words_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watched_words'))
    )
    with op.batch_alter_table('watched_words', schema=None) as batch_op:
        batch_op.create_index('ix_watched_words_created_by_id', ['created_by_id'], unique=False)
        batch_op.create_index('ix_watched_words_word', ['word'], unique=False)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('featured', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('featured_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_posts_featured_at', ['featured_at'], unique=False)

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_threads_assigned_to_id', ['assigned_to_id'], unique=False)
        batch_op.create_index('ix_threads_merged_into_id', ['merged_into_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_threads_assigned_to_id_users'), 'users', ['assigned_to_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_threads_merged_into_id_threads'), 'threads', ['merged_into_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_threads_merged_into_id_threads'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_threads_assigned_to_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_threads_merged_into_id')
        batch_op.drop_index('ix_threads_assigned_to_id')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('assigned_to_id')
        batch_op.drop_column('held')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_featured_at')
        batch_op.drop_column('featured_at')
        batch_op.drop_column('featured')
        batch_op.drop_column('held')

    with op.batch_alter_table('watched_words', schema=None) as batch_op:
        batch_op.drop_index('ix_watched_words_word')
        batch_op.drop_index('ix_watched_words_created_by_id')
    op.drop_table('watched_words')

    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.drop_index('ix_warnings_user_id_created_at')
        batch_op.drop_index('ix_warnings_post_id')
        batch_op.drop_index('ix_warnings_issued_by_id')
        batch_op.drop_index('ix_warnings_cohort_id')
    op.drop_table('warnings')

    with op.batch_alter_table('mutes', schema=None) as batch_op:
        batch_op.drop_index('ix_mutes_user_id_cohort_id_until')
        batch_op.drop_index('ix_mutes_muted_by_id')
        batch_op.drop_index('ix_mutes_cohort_id_created_at')
    op.drop_table('mutes')

    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index('ix_review_items_user_id')
        batch_op.drop_index('ix_review_items_target')
        batch_op.drop_index('ix_review_items_resolved_by_id')
        batch_op.drop_index('ix_review_items_post_id')
        batch_op.drop_index('ix_review_items_cohort_id_status_created_at')
    op.drop_table('review_items')

"""live rooms: rooms, room_messages, room_mutes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # rooms.pinned_message_id and room_messages.room_id point at each other: the
    # rooms table is created first and gets its pinned-message key once both exist.
    op.create_table('rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('pinned_message_id', sa.Integer(), nullable=True),
    sa.Column('slow_mode_seconds', sa.Integer(), nullable=False),
    sa.Column('transcript_post_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_rooms_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rooms_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_rooms_thread_id_threads'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['transcript_post_id'], ['posts.id'], name=op.f('fk_rooms_transcript_post_id_posts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rooms'))
    )
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.create_index('ix_rooms_cohort_id_status_created_at', ['cohort_id', 'status', 'created_at'], unique=False)
        batch_op.create_index('ix_rooms_created_by_id', ['created_by_id'], unique=False)
        batch_op.create_index('ix_rooms_pinned_message_id', ['pinned_message_id'], unique=False)
        batch_op.create_index('ix_rooms_thread_id', ['thread_id'], unique=False)
        batch_op.create_index('ix_rooms_transcript_post_id', ['transcript_post_id'], unique=False)

    op.create_table('room_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('reply_to_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_room_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_room_messages_deleted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reply_to_id'], ['room_messages.id'], name=op.f('fk_room_messages_reply_to_id_room_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_room_messages_room_id_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_messages')),
    sa.UniqueConstraint('room_id', 'author_id', 'client_id', name=op.f('uq_room_messages_room_id_author_id_client_id'))
    )
    with op.batch_alter_table('room_messages', schema=None) as batch_op:
        batch_op.create_index('ix_room_messages_author_id_created_at', ['author_id', 'created_at'], unique=False)
        batch_op.create_index('ix_room_messages_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_room_messages_deleted_by_id', ['deleted_by_id'], unique=False)
        batch_op.create_index('ix_room_messages_reply_to_id', ['reply_to_id'], unique=False)
        batch_op.create_index('ix_room_messages_room_id_id', ['room_id', 'id'], unique=False)

    op.create_table('room_mutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_room_mutes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_room_mutes_room_id_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_room_mutes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_mutes')),
    sa.UniqueConstraint('room_id', 'user_id', name=op.f('uq_room_mutes_room_id_user_id'))
    )
    with op.batch_alter_table('room_mutes', schema=None) as batch_op:
        batch_op.create_index('ix_room_mutes_created_by_id', ['created_by_id'], unique=False)
        batch_op.create_index('ix_room_mutes_user_id', ['user_id'], unique=False)

    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_rooms_pinned_message_id_room_messages'), 'room_messages', ['pinned_message_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rooms_pinned_message_id_room_messages'), type_='foreignkey')

    with op.batch_alter_table('room_mutes', schema=None) as batch_op:
        batch_op.drop_index('ix_room_mutes_user_id')
        batch_op.drop_index('ix_room_mutes_created_by_id')
    op.drop_table('room_mutes')

    with op.batch_alter_table('room_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_room_messages_room_id_id')
        batch_op.drop_index('ix_room_messages_reply_to_id')
        batch_op.drop_index('ix_room_messages_deleted_by_id')
        batch_op.drop_index('ix_room_messages_created_at')
        batch_op.drop_index('ix_room_messages_author_id_created_at')
    op.drop_table('room_messages')

    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_index('ix_rooms_transcript_post_id')
        batch_op.drop_index('ix_rooms_thread_id')
        batch_op.drop_index('ix_rooms_pinned_message_id')
        batch_op.drop_index('ix_rooms_created_by_id')
        batch_op.drop_index('ix_rooms_cohort_id_status_created_at')
    op.drop_table('rooms')

"""The rule registry: one explicit tuple, sorted by code."""

from __future__ import annotations

from backlog_lint.rules._rule import Context, Rule, rule
from backlog_lint.rules.all_tasks_done_item_open import all_tasks_done_item_open
from backlog_lint.rules.broken_link import broken_link
from backlog_lint.rules.checklist_not_rendered import checklist_not_rendered
from backlog_lint.rules.checklist_parent_mismatch import checklist_parent_mismatch
from backlog_lint.rules.consecutive_thematic_breaks import consecutive_thematic_breaks
from backlog_lint.rules.count_claim import count_claim
from backlog_lint.rules.dangling_reference import dangling_reference
from backlog_lint.rules.dependency_cycle import dependency_cycle
from backlog_lint.rules.done_depends_on_open import done_depends_on_open
from backlog_lint.rules.done_with_open_tasks import done_with_open_tasks
from backlog_lint.rules.duplicate_field import duplicate_field
from backlog_lint.rules.duplicate_item_id import duplicate_item_id
from backlog_lint.rules.duplicate_title import duplicate_title
from backlog_lint.rules.empty_list_item import empty_list_item
from backlog_lint.rules.empty_section import empty_section
from backlog_lint.rules.empty_table_row import empty_table_row
from backlog_lint.rules.fence_closed_early import fence_closed_early
from backlog_lint.rules.field_alias import field_alias
from backlog_lint.rules.heading_level_skip import heading_level_skip
from backlog_lint.rules.heading_numbering import heading_numbering
from backlog_lint.rules.heading_split import heading_split
from backlog_lint.rules.heading_without_space import heading_without_space
from backlog_lint.rules.id_format import id_format
from backlog_lint.rules.index_mismatch import index_mismatch
from backlog_lint.rules.invalid_date import invalid_date
from backlog_lint.rules.invalid_suppression import invalid_suppression
from backlog_lint.rules.list_marker_without_space import list_marker_without_space
from backlog_lint.rules.literal_escapes import literal_escapes
from backlog_lint.rules.merge_conflict_marker import merge_conflict_marker
from backlog_lint.rules.mixed_scale import mixed_scale
from backlog_lint.rules.mojibake import mojibake
from backlog_lint.rules.one_sided_relation import one_sided_relation
from backlog_lint.rules.parse_problems import broken_front_matter, invalid_encoding, io_error, unparseable
from backlog_lint.rules.progress_claim import progress_claim
from backlog_lint.rules.removed_open_item import removed_open_item
from backlog_lint.rules.replacement_character import replacement_character
from backlog_lint.rules.schema_rules import invalid_field_value, missing_required_field, unknown_field
from backlog_lint.rules.sibling_fields import sibling_fields
from backlog_lint.rules.sibling_front_matter import sibling_front_matter
from backlog_lint.rules.similar_title import similar_title
from backlog_lint.rules.status_conflict import status_conflict
from backlog_lint.rules.stray_metadata import stray_metadata
from backlog_lint.rules.table_cell_count import table_cell_count
from backlog_lint.rules.table_not_rendered import table_not_rendered
from backlog_lint.rules.unclosed_code_fence import unclosed_code_fence
from backlog_lint.rules.unclosed_inline_html import unclosed_inline_html
from backlog_lint.rules.undefined_label import undefined_label
from backlog_lint.rules.unknown_value import unknown_value
from backlog_lint.rules.unused_label import unused_label
from backlog_lint.rules.unused_suppression import unused_suppression
from backlog_lint.rules.value_spelling import value_spelling

ALL_RULES: tuple[Rule, ...] = (
    io_error,
    invalid_encoding,
    mojibake,
    broken_front_matter,
    merge_conflict_marker,
    unused_suppression,
    unparseable,
    invalid_suppression,
    replacement_character,
    table_cell_count,
    consecutive_thematic_breaks,
    heading_level_skip,
    empty_section,
    heading_numbering,
    unclosed_code_fence,
    empty_table_row,
    table_not_rendered,
    heading_without_space,
    checklist_not_rendered,
    stray_metadata,
    empty_list_item,
    fence_closed_early,
    list_marker_without_space,
    literal_escapes,
    unclosed_inline_html,
    heading_split,
    missing_required_field,
    invalid_field_value,
    unknown_field,
    field_alias,
    duplicate_field,
    invalid_date,
    value_spelling,
    sibling_fields,
    unknown_value,
    sibling_front_matter,
    duplicate_item_id,
    duplicate_title,
    similar_title,
    dangling_reference,
    broken_link,
    dependency_cycle,
    one_sided_relation,
    index_mismatch,
    id_format,
    removed_open_item,
    count_claim,
    done_with_open_tasks,
    all_tasks_done_item_open,
    checklist_parent_mismatch,
    done_depends_on_open,
    status_conflict,
    progress_claim,
    undefined_label,
    unused_label,
    mixed_scale,
)

BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}

# Rules declared per_file run where a document is parsed; the others compare documents.
PER_FILE_RULES: tuple[Rule, ...] = tuple(r for r in ALL_RULES if r.per_file)

__all__ = ["ALL_RULES", "BY_CODE", "PER_FILE_RULES", "Context", "Rule", "rule"]

{#-
  The sides of the checks of 表三 (int_t3_checks), one row per (check, document): each cell of the document's
  表三 grid once for every check that reads it, a long (check, cell) relation, and one aggregate over it.
  A model of its own, not a CTE of int_t3_checks: in one query with the checks' joins, the aggregate's list
  and string_agg states did not spill (20 000 reports ran out of 250MB; the three aggregates by kind of check
  that int_t3_checks had before ran out of 1GB at 100 000 reports). Nor did an ordered string_agg or a list of
  lists at ~91 000 reports under 250MB: the problems are two unordered lists sorted after the aggregate (a
  check's cells have distinct problem_order), the cells' keys one string per grid row.

  check_kind  column_identity (check_key: the column), outcome_total (the column), row_total (the row)
-#}

{%- set t3_columns = t3_applicant_columns() + ['total'] %}
{%- set outcome_measures = ['granted', 'partially_granted', 'denied', 'unavailable', 'not_processed', 'other_handling'] %}

with

t3_documents as (

    select * from {{ ref('int_table_documents') }}
    where table_id = 't3'

),

table_cells as (

    select * from {{ ref('int_table_cells') }} {{ in_build_scope() }}

),

row_totals as (

    select * from {{ ref('int_table_row_totals') }} {{ in_build_scope() }}

),

table_crosswalk as (

    select * from {{ ref('table_crosswalk') }}

),

t3_columns as (

    select * from (
        values
            {%- for col in t3_columns %}
            ('{{ col }}', {{ loop.index }}){{ ',' if not loop.last }}
            {%- endfor %}
    ) as t3_columns (col_key, col_position)

),

{#- 表三 as the checks read it: every (row of the document's era, column), found or not. The checks collect
    read_fact_keys unordered (a set to check_results): an ordered list aggregate over every cell cannot spill. -#}
t3_grid as (

    select
        t3_documents.document_id,
        t3_documents.has_table,
        t3_documents.era,
        table_crosswalk.row_key,
        table_crosswalk.conformed_measure,
        table_crosswalk.position,
        t3_columns.col_key,
        t3_columns.col_position,
        case
            when t3_columns.col_key = 'total' then row_totals.line_value
            else table_cells.identity_value
        end as check_value,
        row_totals.line_key is not null as row_found,
        case
            when row_totals.line_key is null then table_crosswalk.row_key || ' not found'
            when t3_columns.col_key = 'total' and row_totals.line_value is null
                then table_crosswalk.row_key || '/total ' || row_totals.unknown_reason
            when t3_columns.col_key = 'total' then null
            when table_cells.fact_key is null then table_crosswalk.row_key || '/' || t3_columns.col_key || ' not found'
            when table_cells.identity_value is null
                then table_crosswalk.row_key || '/' || t3_columns.col_key || ' ' || {{ unreadable_cell('table_cells') }}
        end as problem,
        -- the cells behind check_value: the line total's (printed 总计 or its parts), else the cell itself
        case
            when t3_columns.col_key = 'total' and row_totals.used_fact_keys is not null then row_totals.used_fact_keys
            else [table_cells.fact_key]
        end as read_fact_keys

    from t3_documents
    inner join table_crosswalk
        on table_crosswalk.table_id = 't3'
        and t3_documents.era = table_crosswalk.era
    cross join t3_columns
    left join table_cells
        on t3_documents.document_id = table_cells.document_id
        and table_cells.table_id = 't3'
        and table_crosswalk.row_key = table_cells.row_key
        and t3_columns.col_key = table_cells.col_key
    left join row_totals
        on t3_documents.document_id = row_totals.document_id
        and row_totals.table_id = 't3'
        and table_crosswalk.row_key = row_totals.line_key

),

{#- Each cell of the grid once for every check that reads it (one scan of the grid: a grid read by three
    queries was materialized whole), so that one aggregate computes every check. -#}
t3_check_cells as (

    select
        check_kinds.check_kind,
        case check_kinds.check_kind when 'row_total' then t3_grid.row_key else t3_grid.col_key end as check_key,
        case check_kinds.check_kind when 'row_total' then t3_grid.col_position else t3_grid.position end
            as problem_order,
        t3_grid.*

    from t3_grid
    inner join (values ('column_identity'), ('outcome_total'), ('row_total')) as check_kinds (check_kind)
        on case check_kinds.check_kind
            when 'column_identity' then t3_grid.row_key in ('new', 'carried_over', 'total', 'carried_forward')
            when 'outcome_total'
                then t3_grid.conformed_measure in ({{ sql_list(outcome_measures) }}) or t3_grid.row_key = 'total'
            else t3_grid.col_key <> 'total'
        end

),

final as (

    select
        check_kind,
        check_key,
        document_id,
        has_table,
        era,
        case check_kind
            when 'column_identity'
                then max(check_value) filter (where row_key = 'new')
                    + max(check_value) filter (where row_key = 'carried_over')
            when 'outcome_total'
                then case
                    when count(*) filter (where row_key <> 'total' and check_value is null) = 0
                        then sum(check_value) filter (where row_key <> 'total')
                end
            else case when count(*) filter (where check_value is null) = 0 then sum(check_value) end
        end as left_value,
        case check_kind
            when 'column_identity'
                then max(check_value) filter (where row_key = 'total')
                    + max(check_value) filter (where row_key = 'carried_forward')
            when 'outcome_total' then max(check_value) filter (where row_key = 'total')
        end as right_value,
        case
            when check_kind = 'row_total' and bool_or(not row_found) then check_key || ' not found'
            else array_to_string(
                list_select(
                    list(problem) filter (where problem is not null),
                    list_grade_up(list(problem_order) filter (where problem is not null))
                ),
                ', '
            )
        end as problems,
        -- each row's keys as one string (a missing cell's null as ''), split again: a list of lists did not spill
        list_transform(
            string_split(
                string_agg(array_to_string(list_transform(read_fact_keys, lambda k: coalesce(k, '')), chr(31)), chr(31)),
                chr(31)
            ),
            lambda k: nullif(k, '')
        ) as read_fact_keys

    from t3_check_cells
    group by check_kind, check_key, document_id, has_table, era

)

select * from final {{ in_build_batch() }}

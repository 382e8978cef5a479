{#-
  The checks of 表三, one row per (check, document), in the shape of
  check_results (see int_table_checks for which documents get them and how
  cells take part).

  t3_column_identity_<col>  一 + 二 = （七）总计 + 四, for each of the 7 columns
  t3_outcome_total_<col>    （七） = （一）+（二）+ Σ（三）1–8 + Σ（四）1–3
                            + Σ（五）1–5 + Σ（六）(2021: 1–3; 2019: one row)
  t3_row_total_<row_key>    总计 = the six applicant columns, every row of the era
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

t3_column_identity_sides as (

    select
        't3_column_identity_' || col_key as check_name,
        document_id,
        has_table,
        '表三 (t3)' as table_label,
        max(check_value) filter (where row_key = 'new')
        + max(check_value) filter (where row_key = 'carried_over') as left_value,
        max(check_value) filter (where row_key = 'total')
        + max(check_value) filter (where row_key = 'carried_forward') as right_value,
        string_agg(problem, ', ' order by position) filter (where problem is not null) as problems,
        '一 new + 二 carried_over = （七） total + 四 carried_forward [' || col_key || ']' as identity,
        flatten(list(read_fact_keys)) as read_fact_keys

    from t3_grid
    where row_key in ('new', 'carried_over', 'total', 'carried_forward')
    group by document_id, has_table, col_key

),

t3_outcome_total_sides as (

    select
        't3_outcome_total_' || col_key as check_name,
        document_id,
        has_table,
        '表三 (t3)' as table_label,
        case
            when count(*) filter (where row_key <> 'total' and check_value is null) = 0
                then sum(check_value) filter (where row_key <> 'total')
        end as left_value,
        max(check_value) filter (where row_key = 'total') as right_value,
        string_agg(problem, ', ' order by position) filter (where problem is not null) as problems,
        'granted + partial + Σ denied.1–8 + Σ unavailable.1–3 + Σ not_processed.1–5 + '
        || case era when 'std2019' then 'other (2019: one row)' else 'Σ other.1–3' end
        || ' = （七） total [' || col_key || ']' as identity,
        flatten(list(read_fact_keys)) as read_fact_keys

    from t3_grid
    where conformed_measure in ({{ sql_list(outcome_measures) }}) or row_key = 'total'
    group by document_id, has_table, era, col_key

),

t3_row_parts as (

    select
        't3_row_total_' || row_key as check_name,
        document_id,
        has_table,
        row_key as line_key,
        '表三 (t3)' as table_label,
        case
            when count(*) filter (where check_value is null) = 0 then sum(check_value)
        end as left_value,
        case
            when bool_or(not row_found) then row_key || ' not found'
            else string_agg(problem, ', ' order by col_position) filter (where problem is not null)
        end as part_problems,
        '{{ t3_applicant_columns() | join(" + ") }} = total [' || row_key || ']' as identity,
        flatten(list(read_fact_keys)) as read_fact_keys

    from t3_grid
    where col_key <> 'total'
    group by document_id, has_table, row_key

),

line_total_sides as (

    {{ line_total_sides('t3_row_parts', 'row_totals', 't3', '/') }}

),

identity_sides as (

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity, read_fact_keys
    from t3_column_identity_sides

    union all

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity, read_fact_keys
    from t3_outcome_total_sides

    union all

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity, read_fact_keys
    from line_total_sides

),

final as (

    {{ identity_check_results('identity_sides') }}

)

select * from final {{ in_build_batch() }}

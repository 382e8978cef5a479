{#-
  The checks of the statutory tables, one row per (check, document), in the
  shape of check_results. A document gets every check of a table when it has
  cells of that table or its format era is std2019 / std2021 (its tables
  should be there); with no cells the checks are NOT_EVALUABLE, never skipped.

  t3_column_identity_<col>  一 + 二 = （七）总计 + 四, for each of the 7 columns
  t3_outcome_total_<col>    （七） = （一）+（二）+ Σ（三）1–8 + Σ（四）1–3
                            + Σ（五）1–5 + Σ（六）(2021: 1–3; 2019: one row)
  t3_row_total_<row_key>    总计 = the six applicant columns, every row of the era
  t4_identity_<block>       维持 + 纠正 + 其他 + 尚未审结 = 总计 (review / direct
                            / after_review)
  table_vs_prose_<measure>  the prose figure (int_prose_measures) equals the
                            table figure (int_table_measures); for the lump
                            granted_or_partial, table granted + partially_granted

  How cells take part (int_table_cells.identity_value): NUMERIC / ZERO as
  printed; a blank part cell (applicant column, 表四 result) counts 0 when
  another part cell of its line holds a number; NA, TEXT, a missing cell or a
  wholly blank line make the check NOT_EVALUABLE. A 总计 column value is the
  line total of int_table_row_totals (printed, or derived from the parts when
  blank) in the column identity and outcome total; the row-total and 表四
  identities compare with the printed 总计 only (a blank one: NOT_EVALUABLE).
  A printed table that does not add up FAILs as a source anomaly: its figures
  stay as printed.
-#}

{%- set t3_columns = t3_applicant_columns() + ['total'] %}
{%- set outcome_measures = ['granted', 'partially_granted', 'denied', 'unavailable', 'not_processed', 'other_handling'] %}
{%- set comparisons = table_prose_comparisons() %}

with

documents as (

    select * from {{ ref('stg_documents') }}

),

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

table_cells as (

    select * from {{ ref('int_table_cells') }}

),

row_totals as (

    select * from {{ ref('int_table_row_totals') }}

),

table_measures as (

    select * from {{ ref('int_table_measures') }}

),

prose_measures as (

    select * from {{ ref('int_prose_measures') }}

),

table_crosswalk as (

    select * from {{ ref('table_crosswalk') }}

),

document_tables as (

    select
        documents.document_id,
        coalesce(report_metadata.format_era in ('std2019', 'std2021'), false) as has_std_format,
        coalesce(bool_or(table_cells.table_id = 't3'), false) as has_t3,
        coalesce(bool_or(table_cells.table_id = 't4'), false) as has_t4,
        coalesce(
            max(table_cells.era) filter (where table_cells.table_id = 't3'),
            case when report_metadata.format_era in ('std2019', 'std2021') then report_metadata.format_era end,
            'std2021'
        ) as t3_era

    from documents
    left join report_metadata
        on documents.document_id = report_metadata.document_id
    left join table_cells
        on documents.document_id = table_cells.document_id
    group by documents.document_id, report_metadata.format_era

),

t3_documents as (

    select
        document_id,
        has_t3 as has_table,
        t3_era as era

    from document_tables
    where has_t3 or has_std_format

),

t4_documents as (

    select
        document_id,
        has_t4 as has_table

    from document_tables
    where has_t4 or has_std_format

),

t3_columns as (

    select * from (
        values
            {%- for col in t3_columns %}
            ('{{ col }}', {{ loop.index }}){{ ',' if not loop.last }}
            {%- endfor %}
    ) as t3_columns (col_key, col_position)

),

t4_parts as (

    select * from (
        values
            {%- for block in t4_blocks() %}
            {%- set block_loop = loop %}
            {%- for result in t4_results() %}
            ('{{ block }}', '{{ block }}.{{ result }}', {{ block_loop.index * 10 + loop.index }}){{ ',' if not (block_loop.last and loop.last) }}
            {%- endfor %}
            {%- endfor %}
    ) as t4_parts (block, col_key, position)

),

{#- 表三 as the checks read it: every (row of the document's era, column), found or not. -#}
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
                then table_crosswalk.row_key || '/' || t3_columns.col_key || ' '
                    || case table_cells.value_semantic when 'EMPTY' then 'blank' when 'NA' then 'NA' else 'text' end
        end as problem

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
        '一 new + 二 carried_over = （七） total + 四 carried_forward [' || col_key || ']' as identity

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
        || ' = （七） total [' || col_key || ']' as identity

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
        '{{ t3_applicant_columns() | join(" + ") }} = total [' || row_key || ']' as identity

    from t3_grid
    where col_key <> 'total'
    group by document_id, has_table, row_key

),

t4_grid as (

    select
        t4_documents.document_id,
        t4_documents.has_table,
        t4_parts.block,
        t4_parts.col_key,
        t4_parts.position,
        table_cells.identity_value as check_value,
        table_cells.fact_key is not null as cell_found,
        case
            when table_cells.fact_key is null then t4_parts.col_key || ' not found'
            when table_cells.identity_value is null
                then t4_parts.col_key || ' '
                    || case table_cells.value_semantic when 'EMPTY' then 'blank' when 'NA' then 'NA' else 'text' end
        end as problem

    from t4_documents
    cross join t4_parts
    left join table_cells
        on t4_documents.document_id = table_cells.document_id
        and table_cells.table_id = 't4'
        and t4_parts.col_key = table_cells.col_key

),

t4_block_parts as (

    select
        't4_identity_' || block as check_name,
        document_id,
        has_table,
        block as line_key,
        '表四 (t4)' as table_label,
        case
            when count(*) filter (where check_value is null) = 0 then sum(check_value)
        end as left_value,
        case
            when not bool_or(cell_found) then block || ' not found'
            else string_agg(problem, ', ' order by position) filter (where problem is not null)
        end as part_problems,
        {% for result in t4_results() -%}
        block || '.{{ result }}{{ ' + ' if not loop.last else ' = ' }}' || {% endfor -%}
        block || '.total' as identity

    from t4_grid
    group by document_id, has_table, block

),

line_parts as (

    select 't3' as table_id, check_name, document_id, has_table, line_key, table_label, left_value, part_problems, identity
    from t3_row_parts

    union all

    select 't4' as table_id, check_name, document_id, has_table, line_key, table_label, left_value, part_problems, identity
    from t4_block_parts

),

line_total_sides as (

    select
        line_parts.check_name,
        line_parts.document_id,
        line_parts.has_table,
        line_parts.table_label,
        line_parts.left_value,
        case when row_totals.total_semantic in ('NUMERIC', 'ZERO') then row_totals.total_value end as right_value,
        nullif(concat_ws(
            ', ',
            line_parts.part_problems,
            case
                when row_totals.line_key is null then null
                when row_totals.total_semantic not in ('NUMERIC', 'ZERO')
                    then case line_parts.table_id when 't4' then line_parts.line_key || '.total' else line_parts.line_key || '/total' end
                        || ' ' || case row_totals.total_semantic
                            when 'EMPTY' then 'blank' when 'MISSING' then 'not found' when 'NA' then 'NA' else 'text'
                        end
                        || case
                            when row_totals.derived_from_parts
                                then ' (line total derived from the parts: ' || {{ format_number('row_totals.line_value') }} || ')'
                            else ''
                        end
            end
        ), '') as problems,
        line_parts.identity

    from line_parts
    left join row_totals
        on line_parts.document_id = row_totals.document_id
        and line_parts.table_id = row_totals.table_id
        and line_parts.line_key = row_totals.line_key

),

identity_sides as (

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity
    from t3_column_identity_sides

    union all

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity
    from t3_outcome_total_sides

    union all

    select check_name, document_id, has_table, table_label, left_value, right_value, problems, identity
    from line_total_sides

),

identity_results as (

    select
        check_name,
        document_id,
        left_value,
        right_value,
        case
            when not has_table or problems is not null then 'NOT_EVALUABLE'
            when abs(left_value - right_value) <= 0.000001 then 'PASS'
            else 'FAIL'
        end as status,
        case
            when not has_table then 'not evaluable: no ' || table_label || ' cells staged for this report'
            when problems is not null then 'not evaluable: ' || problems
            when abs(left_value - right_value) <= 0.000001
                then identity || ': ' || {{ format_number('left_value') }} || ' = ' || {{ format_number('right_value') }}
            else 'source anomaly (the printed table does not add up; figures kept as printed): '
                || identity || ': ' || {{ format_number('left_value') }} || ' <> ' || {{ format_number('right_value') }}
        end as detail

    from identity_sides

),

compared_measures as (

    select * from (
        values
            {%- for measure, table_id in comparisons.items() %}
            ('{{ measure }}', '{{ table_id }}'){{ ',' if not loop.last }}
            {%- endfor %}
    ) as compared_measures (measure, table_id)

),

table_lumps as (

    select
        document_id,
        'granted_or_partial' as measure,
        case
            when count(*) filter (where value is null) = 0 and count(*) = 2 then sum(value)
        end as value,
        string_agg(unknown_lines, ', ' order by measure) as unknown_lines

    from table_measures
    where measure in ('granted', 'partially_granted')
    group by document_id

),

table_values as (

    select document_id, measure, value, unknown_lines
    from table_measures

    union all

    select document_id, measure, value, unknown_lines
    from table_lumps

),

comparison_documents as (

    select document_id, has_table, 't3' as table_id, '表三 (t3)' as table_label
    from t3_documents

    union all

    select document_id, has_table, 't4' as table_id, '表四 (t4)' as table_label
    from t4_documents

),

table_vs_prose_results as (

    select
        'table_vs_prose_' || compared_measures.measure as check_name,
        comparison_documents.document_id,
        prose_measures.value as left_value,
        table_values.value as right_value,
        case
            when prose_measures.value is null or table_values.value is null then 'NOT_EVALUABLE'
            when abs(prose_measures.value - table_values.value) <= 0.000001 then 'PASS'
            else 'FAIL'
        end as status,
        case
            when prose_measures.value is null or table_values.value is null
                then 'not evaluable: ' || concat_ws(
                    '; ',
                    case when prose_measures.value is null then 'not stated in prose' end,
                    case
                        when not comparison_documents.has_table
                            then 'no ' || comparison_documents.table_label || ' cells staged for this report'
                        when table_values.value is null
                            then 'the table does not give it' || coalesce(': ' || table_values.unknown_lines, '')
                    end
                )
            when abs(prose_measures.value - table_values.value) <= 0.000001
                then 'prose ' || {{ format_number('prose_measures.value') }}
                    || ' = table ' || {{ format_number('table_values.value') }}
            else 'prose ' || {{ format_number('prose_measures.value') }} || ' (rule ' || prose_measures.rule_id
                || ') <> table ' || {{ format_number('table_values.value') }}
        end as detail

    from comparison_documents
    inner join compared_measures
        on comparison_documents.table_id = compared_measures.table_id
    left join prose_measures
        on comparison_documents.document_id = prose_measures.document_id
        and compared_measures.measure = prose_measures.measure
    left join table_values
        on comparison_documents.document_id = table_values.document_id
        and compared_measures.measure = table_values.measure

),

final as (

    select * from identity_results
    union all
    select * from table_vs_prose_results

)

select * from final

{#-
  One row per (check, document); every document gets every check that applies
  to it, so nothing is skipped silently.

  applications_balance  applications_new + applications_carried_over
                        = responded_total + carried_forward
  outcome_parts         granted + partially_granted (or granted_or_partial
                        when the split is not known) + denied + unavailable
                        + not_processed + other_handling = responded_total
  prose_consistency_<m> the report states measure m with one value only
                        (left_value = smallest, right_value = largest)

  A figure the report does not state is unknown, never 0: an identity with an
  unknown part is NOT_EVALUABLE, not PASS. applications_balance and
  outcome_parts read the figures report_summary shows (table where the table
  gives them, else prose).

  The statutory-table checks (t3_column_identity_<col>, t3_outcome_total_<col>,
  t3_row_total_<row_key>, t4_identity_<block>, table_vs_prose_<measure>) come
  from int_table_checks: every document with table cells or a std2019 /
  std2021 format gets all of them.

  reading       how the table cells the check reads were read (each check
                model names them in read_fact_keys; applications_balance and
                outcome_parts read the cells behind the table figures they
                use): ocr_reread when a second OCR reading gave any of them,
                else ocr when OCR read any, else text_layer; null when the
                check reads no table cell (prose and cross-report checks)
  reread_cells  those a second reading gave: '<table>/<row>/<col> <first
                reading> → <kept reading>', ', '-joined
-#}

with

report_figures as (

    select * from {{ ref('int_report_figures') }}

),

prose_measures as (

    select * from {{ ref('int_prose_measures') }}

),

measure_glossary as (

    select * from {{ ref('measure_glossary') }}

),

table_checks as (

    select * from {{ ref('int_table_checks') }}

),

table_measures as (

    select * from (select * from {{ ref('int_table_measures') }} {{ in_build_scope() }})
    where value is not null

),

table_cells as (

    select * from {{ ref('int_table_cells') }} {{ in_build_scope() }}

),

cross_report_checks as (

    select * from {{ ref('int_cross_report_checks') }} {{ in_build_scope() }}

),

applications_balance_sides as (

    select
        document_id,
        applications_new + applications_carried_over as left_value,
        responded_total + carried_forward as right_value,
        concat_ws(
            ', ',
            case when applications_new is null then 'applications_new' end,
            case when applications_carried_over is null then 'applications_carried_over' end,
            case when responded_total is null then 'responded_total' end,
            case when carried_forward is null then 'carried_forward' end
        ) as missing_measures,
        'applications_new + applications_carried_over = responded_total + carried_forward' as identity,
        ['applications_new', 'applications_carried_over', 'responded_total', 'carried_forward'] as read_measures

    from report_figures

),

outcome_parts_sides as (

    select
        document_id,
        case
            when granted is not null and partially_granted is not null
                then granted + partially_granted
            else granted_or_partial
        end
        + denied + unavailable + not_processed + other_handling as left_value,
        responded_total as right_value,
        concat_ws(
            ', ',
            case
                when (granted is null or partially_granted is null) and granted_or_partial is null
                    then 'granted + partially_granted (or granted_or_partial)'
            end,
            case when denied is null then 'denied' end,
            case when unavailable is null then 'unavailable' end,
            case when not_processed is null then 'not_processed' end,
            case when other_handling is null then 'other_handling' end,
            case when responded_total is null then 'responded_total' end
        ) as missing_measures,
        case
            when granted is not null and partially_granted is not null then 'granted + partially_granted'
            else 'granted_or_partial'
        end
        || ' + denied + unavailable + not_processed + other_handling = responded_total' as identity,
        case
            when granted is not null and partially_granted is not null then ['granted', 'partially_granted']
            else ['granted_or_partial']
        end
        || ['denied', 'unavailable', 'not_processed', 'other_handling', 'responded_total'] as read_measures

    from report_figures

),

identity_sides as (

    select 'applications_balance' as check_name, *
    from applications_balance_sides

    union all

    select 'outcome_parts' as check_name, *
    from outcome_parts_sides

),

identity_results as (

    select
        check_name,
        document_id,
        left_value,
        right_value,
        {{ check_status('left_value', 'right_value', "missing_measures <> ''") }} as status,
        case
            when missing_measures <> '' then 'not stated: ' || missing_measures
            when {{ values_agree('left_value', 'right_value') }}
                then identity || ': ' || {{ format_number('left_value') }}
                    || ' = ' || {{ format_number('right_value') }}
            else identity || ': ' || {{ format_number('left_value') }}
                || ' <> ' || {{ format_number('right_value') }}
        end as detail,
        -- the summary takes a measure from the table wherever the table gives it (int_report_figures)
        (
            select flatten(list(table_measures.used_fact_keys))
            from table_measures
            where table_measures.document_id = identity_sides.document_id
                and list_contains(identity_sides.read_measures, table_measures.measure)
        ) as read_fact_keys

    from identity_sides

),

document_measures as (

    select
        report_figures.document_id,
        measure_glossary.measure

    from report_figures
    cross join measure_glossary

),

consistency_results as (

    select
        'prose_consistency_' || document_measures.measure as check_name,
        document_measures.document_id,
        prose_measures.min_value as left_value,
        prose_measures.max_value as right_value,
        case
            when prose_measures.distinct_value_count > 1 then 'FAIL'
            else 'PASS'
        end as status,
        case
            when prose_measures.measure is null then 'not stated in prose'
            when prose_measures.distinct_value_count > 1
                then 'different values stated: '
                    || array_to_string(
                        list_transform(prose_measures.distinct_values, lambda v: {{ format_number('v') }}),
                        ', '
                    )
                    || '; summary uses ' || {{ format_number('prose_measures.value') }}
                    || ' (rule ' || prose_measures.rule_id || ')'
            else 'stated ' || prose_measures.fact_count || 'x, one value: '
                || {{ format_number('prose_measures.value') }}
        end as detail,
        cast(null as varchar[]) as read_fact_keys

    from document_measures
    left join prose_measures
        on document_measures.document_id = prose_measures.document_id
        and document_measures.measure = prose_measures.measure

),

all_checks as (

    select * from identity_results
    union all
    select * from consistency_results
    union all
    select * from table_checks
    union all
    select *, cast(null as varchar[]) as read_fact_keys from cross_report_checks

),

{#- The cells each check reads (read_fact_keys): the cells of its own document that the check models took
    from int_table_cells. A check that names any reads the table; only the few read by OCR are looked up (a
    join of every (check, cell) pair with every cell cost more time and memory than the rest of the model). -#}
ocr_cells as (

    select *
    from table_cells
    where reading in ('ocr', 'ocr_reread')

),

check_ocr_cells as (

    select distinct
        check_cells.check_name,
        check_cells.document_id,
        check_cells.fact_key,
        ocr_cells.reading,
        ocr_cells.table_id,
        ocr_cells.row_key,
        ocr_cells.col_key,
        ocr_cells.ocr_first_reading,
        ocr_cells.value_raw,
        ocr_cells.grid_row,
        ocr_cells.grid_col

    from (
        select check_name, document_id, unnest(read_fact_keys) as fact_key
        from all_checks
    ) as check_cells
    inner join ocr_cells
        on check_cells.document_id = ocr_cells.document_id
        and check_cells.fact_key = ocr_cells.fact_key

),

check_ocr as (

    select
        check_name,
        document_id,
        bool_or(reading = 'ocr_reread') as any_reread,
        string_agg(
            table_id || '/' || row_key || '/' || col_key || ' ' || ocr_first_reading || ' → ' || value_raw,
            ', ' order by table_id, grid_row, grid_col
        ) filter (where reading = 'ocr_reread') as reread_cells

    from check_ocr_cells
    group by check_name, document_id

),

final as (

    select
        all_checks.check_name,
        all_checks.document_id,
        all_checks.left_value,
        all_checks.right_value,
        all_checks.status,
        all_checks.detail,
        case
            when check_ocr.any_reread then 'ocr_reread'
            when check_ocr.document_id is not null then 'ocr'
            when len(list_filter(all_checks.read_fact_keys, lambda k: k is not null)) > 0 then 'text_layer'
        end as reading,
        check_ocr.reread_cells

    from all_checks
    left join check_ocr
        on all_checks.check_name = check_ocr.check_name
        and all_checks.document_id = check_ocr.document_id

)

select * from final {{ in_build_batch() }}
order by document_id, check_name

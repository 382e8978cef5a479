{#-
  The checks of the pre-2019 statistics tables (E0 families, table_id e0_sh /
  e0_fj / e0_gb), one row per (check, document) in the shape of check_results,
  for every document with cells of such a table:

  <table>_identity_<row_key>_<col_key>  the total row = Σ its 其中 rows, where
                            the family defines it so (macro e0_sum_identities:
                            申请总数 = Σ channels, 答复总数 = Σ its parts,
                            否决/不同意公开 = Σ reasons, …), in every value column
                            the table prints (本期实际 / 本年累计 / 年度 / 历年累计
                            / 统计数)
  e0_table_vs_prose_<measure>  the prose figure equals the figure the E0 table
                            gives (int_table_measures), for every summary
                            measure the family's crosswalk maps

  A blank part counts 0 when another part of the identity holds a number; a
  blank total, NA, TEXT or a missing row make the check NOT_EVALUABLE. A
  printed table that does not add up FAILs as a source anomaly, its figures
  kept as printed. E0 tables have no 表三 / 表四 identities.
-#}

{%- set e0 = e0_tables() %}

with

table_cells as (

    select * from (select * from {{ ref('int_table_cells') }} {{ in_build_scope() }})
    where table_id in ({{ sql_list(e0) }})

),

table_measures as (

    select * from (select * from {{ ref('int_table_measures') }} {{ in_build_scope() }})
    where table_id in ({{ sql_list(e0) }})

),

prose_measures as (

    select * from {{ ref('int_prose_measures') }}

),

table_crosswalk as (

    select * from {{ ref('table_crosswalk') }}

),

identity_parts as (

    select * from (
        values
            {%- for table_id, row_key, parts in e0_sum_identities() %}
            {%- set identity_loop = loop %}
            {%- for part in parts %}
            ('{{ table_id }}', '{{ row_key }}', '{{ part }}'){{ ',' if not (identity_loop.last and loop.last) }}
            {%- endfor %}
            {%- endfor %}
    ) as identity_parts (table_id, row_key, part_key)

),

document_columns as (

    select distinct
        document_id,
        table_id,
        col_key

    from table_cells

),

identity_lines as (

    select
        document_columns.document_id,
        document_columns.table_id,
        document_columns.col_key,
        identity_parts.row_key,
        identity_parts.part_key,
        parts.value_semantic as part_semantic,
        parts.value_num as part_value,
        parts.fact_key as part_fact_key

    from document_columns
    inner join identity_parts
        on document_columns.table_id = identity_parts.table_id
    left join table_cells as parts
        on document_columns.document_id = parts.document_id
        and document_columns.table_id = parts.table_id
        and document_columns.col_key = parts.col_key
        and identity_parts.part_key = parts.row_key

),

identity_sums as (

    select
        document_id,
        table_id,
        col_key,
        row_key,
        count(*) filter (where part_semantic in ('NUMERIC', 'ZERO')) as parts_filled,
        count(*) filter (where part_semantic is null or part_semantic in ('NA', 'TEXT')) as parts_unknown,
        sum(part_value) filter (where part_semantic in ('NUMERIC', 'ZERO')) as parts_sum,
        string_agg(part_key, ', ' order by part_key) filter (
            where part_semantic is null or part_semantic in ('NA', 'TEXT')
        ) as unknown_parts,
        list(part_fact_key order by part_key) as part_fact_keys

    from identity_lines
    group by document_id, table_id, col_key, row_key

),

identity_sides as (

    select
        identity_sums.*,
        totals.value_semantic as total_semantic,
        totals.fact_key as total_fact_key,
        case when totals.value_semantic in ('NUMERIC', 'ZERO') then totals.value_num end as total_value,
        case when identity_sums.parts_unknown = 0 and identity_sums.parts_filled > 0 then identity_sums.parts_sum end
            as parts_value

    from identity_sums
    left join table_cells as totals
        on identity_sums.document_id = totals.document_id
        and identity_sums.table_id = totals.table_id
        and identity_sums.col_key = totals.col_key
        and identity_sums.row_key = totals.row_key

),

identity_results as (

    select
        table_id || '_identity_' || row_key || '_' || col_key as check_name,
        document_id,
        parts_value as left_value,
        total_value as right_value,
        {{ check_status('parts_value', 'total_value', 'parts_value is null or total_value is null') }} as status,
        case
            when total_value is null
                then 'not evaluable: total row ' || row_key || ' '
                    || coalesce(lower(total_semantic), 'not found')
            when parts_value is null
                then 'not evaluable: ' || coalesce('parts NA/text/missing: ' || unknown_parts, 'every part blank')
            when {{ values_agree('parts_value', 'total_value') }}
                then 'Σ parts ' || {{ format_number('parts_value') }} || ' = ' || row_key || ' '
                    || {{ format_number('total_value') }}
            else 'source anomaly (printed table does not add up): Σ parts ' || {{ format_number('parts_value') }}
                || ' <> ' || row_key || ' ' || {{ format_number('total_value') }}
        end as detail,
        list_filter(list_concat(part_fact_keys, [total_fact_key]), lambda k: k is not null) as read_fact_keys

    from identity_sides

),

e0_documents as (

    select distinct
        document_id,
        table_id

    from table_cells

),

compared_measures as (

    select distinct
        table_id,
        conformed_measure as measure

    from table_crosswalk
    where table_id in ({{ sql_list(e0) }})
        and reason is null
        and mapping_confidence in ('exact', 'approximate')
        and conformed_measure in ({{ sql_list(summary_measures()) }})

),

document_measures as (

    select
        e0_documents.document_id,
        compared_measures.measure

    from e0_documents
    inner join compared_measures
        on e0_documents.table_id = compared_measures.table_id
    group by e0_documents.document_id, compared_measures.measure

),

table_vs_prose_results as (

    select
        'e0_table_vs_prose_' || document_measures.measure as check_name,
        document_measures.document_id,
        prose_measures.value as left_value,
        table_measures.value as right_value,
        {{ check_status(
            'prose_measures.value',
            'table_measures.value',
            'prose_measures.value is null or table_measures.value is null'
        ) }} as status,
        case
            when prose_measures.value is null or table_measures.value is null
                then 'not evaluable: ' || concat_ws(
                    '; ',
                    case when prose_measures.value is null then 'not stated in prose' end,
                    case
                        when table_measures.value is null
                            then 'the table does not give it' || coalesce(': ' || table_measures.unknown_lines, '')
                    end
                )
            when {{ values_agree('prose_measures.value', 'table_measures.value') }}
                then 'prose ' || {{ format_number('prose_measures.value') }}
                    || ' = table ' || {{ format_number('table_measures.value') }}
            else 'prose ' || {{ format_number('prose_measures.value') }} || ' (rule ' || prose_measures.rule_id
                || ') <> table ' || {{ format_number('table_measures.value') }}
        end as detail,
        table_measures.used_fact_keys as read_fact_keys

    from document_measures
    left join prose_measures
        on document_measures.document_id = prose_measures.document_id
        and document_measures.measure = prose_measures.measure
    left join table_measures
        on document_measures.document_id = table_measures.document_id
        and document_measures.measure = table_measures.measure

),

final as (

    select * from identity_results
    union all
    select * from table_vs_prose_results

)

select * from final {{ in_build_batch() }}

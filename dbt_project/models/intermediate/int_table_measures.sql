{#-
  One row per (document, summary measure) for the summary measures a table of
  the document gives: the table figure and where it comes from.

  表三  each measure is its row(s) of the table's era in seed table_crosswalk:
        applications_new = 一, granted = （一）, ... , responded_total = （七）;
        denied = Σ （三）1–8, unavailable = Σ （四）1–3, not_processed =
        Σ （五）1–5, other_handling = Σ （六）1–3 (2021) or the single （六）
        row (2019). The total column of each row (int_table_row_totals).
  表四  reconsideration_total = 行政复议 总计; litigation_total = 直接起诉 总计
        + 复议后起诉 总计.

  E0   a pre-2019 statistics table (e0_sh / e0_fj / e0_gb): its one crosswalked
        row on the year's column (int_table_measures_e0), for a measure no
        表三 / 表四 of the document gives.

  A sum with an unknown part (a row missing, blank, NA) is null, never a
  partial sum. A table whose era is unknown is read with the 2021 rows: every
  measure but other_handling has the same rows in both eras, and with no
  （六） row found at all other_handling is unknown in either.
-#}

with

row_totals as (

    select * from {{ ref('int_table_row_totals') }} {{ in_build_scope() }}

),

table_crosswalk as (

    select * from {{ ref('table_crosswalk') }}

),

document_tables as (

    select
        document_id,
        table_id,
        coalesce(max(era), 'std2021') as era

    from row_totals
    group by document_id, table_id

),

t3_measure_lines as (

    select
        document_tables.document_id,
        document_tables.table_id,
        document_tables.era,
        table_crosswalk.conformed_measure as measure,
        table_crosswalk.row_key as line_key,
        table_crosswalk.position

    from document_tables
    inner join table_crosswalk
        on document_tables.table_id = table_crosswalk.table_id
        and document_tables.era = table_crosswalk.era
    where document_tables.table_id = 't3'

),

t4_lines as (

    select * from (
        values
            ('reconsideration_total', 'review', 1),
            ('litigation_total', 'direct', 2),
            ('litigation_total', 'after_review', 3)
    ) as t4_lines (measure, line_key, position)

),

t4_measure_lines as (

    select
        document_tables.document_id,
        document_tables.table_id,
        document_tables.era,
        t4_lines.measure,
        t4_lines.line_key,
        t4_lines.position

    from document_tables
    cross join t4_lines
    where document_tables.table_id = 't4'

),

measure_lines as (

    select * from t3_measure_lines
    union all
    select * from t4_measure_lines

),

measure_line_values as (

    select
        measure_lines.*,
        row_totals.line_value,
        row_totals.value_method,
        coalesce(row_totals.unknown_reason, 'line not found') as unknown_reason,
        row_totals.provenance,
        row_totals.used_fact_keys

    from measure_lines
    left join row_totals
        on measure_lines.document_id = row_totals.document_id
        and measure_lines.table_id = row_totals.table_id
        and measure_lines.line_key = row_totals.line_key

),

measure_values as (

    select
        document_id,
        measure,
        table_id,
        era,
        case
            when count(*) filter (where line_value is null) = 0 then sum(line_value)
        end as value,
        coalesce(bool_or(value_method = 'derived_from_parts'), false) as any_line_derived,
        cast(count(*) as integer) as line_count,
        string_agg(line_key || ' (' || unknown_reason || ')', ', ' order by position)
            filter (where line_value is null) as unknown_lines,
        string_agg(provenance, ' + ' order by position) as line_provenance,
        flatten(list(used_fact_keys order by position)) as line_fact_keys

    from measure_line_values
    group by document_id, measure, table_id, era

),

statutory_measures as (

    select
        document_id,
        measure,
        value,
        table_id,
        era,
        value is not null and any_line_derived as derived_from_parts,
        line_count,
        unknown_lines,
        case when value is not null then line_provenance end as provenance,
        case when value is not null then line_fact_keys end as used_fact_keys

    from measure_values

),

e0_measures as (

    -- A pre-2019 statistics table gives a measure only where no 表三 / 表四 of the document does.
    select * from {{ ref('int_table_measures_e0') }} as e0
    where not exists (
        select 1
        from statutory_measures
        where statutory_measures.document_id = e0.document_id
            and statutory_measures.measure = e0.measure
    )

),

final as (

    select * from statutory_measures
    union all
    select * from e0_measures

)

select * from final {{ in_build_batch() }}

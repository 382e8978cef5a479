{#-
  One row per (document, summary measure) that a pre-2019 statistics table
  (E0 family e0_sh / e0_fj / e0_gb) gives, in the shape of int_table_measures
  (which adds these rows for documents whose 表三 / 表四 do not give the
  measure).

  A measure is read from ONE printed row: the seed table_crosswalk row of the
  family that maps it exact or approximate, on the year's column (本期实际 /
  N年度 / 统计数); cumulative columns (本年累计 / 历年累计) have no crosswalk
  row, and era_specific rows (否决公开答复总数 of e0_sh, 属于已主动公开范围数, …)
  are distinct measures that never fill a summary measure. Nothing is summed:
  a sub-reason row (reason not null) never stands in for its total. With two
  E0 tables in one report the first printed wins. A blank, NA or TEXT cell
  gives no value (null, never 0); prose then fills the summary.
-#}

with

table_cells as (

    select * from (select * from {{ ref('int_table_cells') }} {{ in_build_scope() }})
    where table_id in ({{ sql_list(e0_tables()) }})
        and reason is null
        and mapping_confidence in ('exact', 'approximate')
        and conformed_measure in ({{ sql_list(summary_measures()) }})

),

first_cells as (

    select * from table_cells
    qualify row_number() over (
        partition by document_id, conformed_measure
        order by grid_index, grid_row, table_id
    ) = 1

),

final as (

    select
        document_id,
        conformed_measure as measure,
        case when value_semantic in ('NUMERIC', 'ZERO') then value_num end as value,
        table_id,
        era,
        false as derived_from_parts,
        1 as line_count,
        case
            when value_semantic not in ('NUMERIC', 'ZERO')
                then row_key || ' (' || lower(value_semantic) || ')'
        end as unknown_lines,
        case when value_semantic in ('NUMERIC', 'ZERO') then provenance end as provenance,
        case when value_semantic in ('NUMERIC', 'ZERO') then [fact_key] end as used_fact_keys

    from first_cells

)

select * from final

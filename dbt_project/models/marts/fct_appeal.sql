{#-
  One row per figure about administrative reconsideration (行政复议) or
  litigation (行政诉讼): the prose totals and every 表四 cell (block x result),
  both from int_fact_figures.
-#}

with

figures as (

    select * from {{ ref('int_fact_figures') }}

),

appeal_facts as (

    select
        document_id,
        fact_key,
        fact_no,
        measure,
        appeal_type,
        appeal_block,
        appeal_result,
        {{ figure_provenance_columns() }}

    from figures
    where fact_table = 'fct_appeal'

)

select * from appeal_facts {{ in_build_batch() }}
order by document_id, source_kind, fact_no, grid_index, grid_row, grid_col, fact_key

{#-
  One row per figure about proactive disclosure (主动公开): the prose total
  (proactive_total) and every 表二 cell (item x measure, distinct per era),
  both from int_fact_figures.
-#}

with

figures as (

    select * from {{ ref('int_fact_figures') }}

),

proactive_disclosure_facts as (

    select
        document_id,
        fact_key,
        fact_no,
        measure,
        item,
        {{ figure_provenance_columns() }}

    from figures
    where fact_table = 'fct_proactive_disclosure'

)

select * from proactive_disclosure_facts {{ in_build_batch() }}
order by document_id, source_kind, fact_no, grid_index, grid_row, grid_col, fact_key

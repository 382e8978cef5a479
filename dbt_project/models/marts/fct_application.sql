{#-
  One row per figure about requests for disclosure (依申请公开): every prose
  figure of an application measure (seed measure_glossary) and every 表三 cell
  (seed table_crosswalk), both from int_fact_figures.
-#}

with

figures as (

    select * from {{ ref('int_fact_figures') }}

),

application_facts as (

    select
        document_id,
        fact_key,
        fact_no,
        measure,
        reason,
        applicant_type,
        {{ figure_provenance_columns() }}

    from figures
    where fact_table = 'fct_application'

)

{# No order by: sorting this mart's millions of wide rows (sentence) could not spill under the profile's
    memory_limit at 20 000 reports (DuckDB failed to allocate a block), and an incremental run appends its
    batch's rows after the others anyway. Readers order by what they need. #}
select * from application_facts {{ in_build_batch() }}

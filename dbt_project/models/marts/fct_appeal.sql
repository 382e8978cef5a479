{#- One row per figure about administrative reconsideration (行政复议) or litigation (行政诉讼). -#}

with

prose_facts as (

    select * from {{ ref('int_prose_facts') }}

),

appeal_facts as (

    select
        document_id,
        fact_no,
        measure,
        case measure
            when 'reconsideration_total' then 'reconsideration'
            when 'litigation_total' then 'litigation'
        end as appeal_type,
        {{ fact_provenance_columns() }}

    from prose_facts
    where fact_table = 'fct_appeal'

)

select * from appeal_facts
order by document_id, fact_no

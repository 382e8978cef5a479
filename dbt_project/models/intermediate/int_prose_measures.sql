{#-
  One row per (document_id, measure): the value the summary uses, and whether
  the report states the measure more than once with different values.

  Choice: lowest rule_rank (most specific rule), then earliest span_start,
  then fact_no. A conflict is never resolved silently: every figure stays in
  the fct_* marts, and here is_conflict / distinct_values say what disagrees.
-#}

with

prose_facts as (

    select * from {{ ref('stg_prose_facts') }}

),

ranked_facts as (

    select
        *,
        row_number() over (
            partition by document_id, measure
            order by rule_rank, span_start, fact_no
        ) as choice_order

    from prose_facts

),

chosen_facts as (

    select * from ranked_facts
    where choice_order = 1

),

measure_value_spread as (

    select
        document_id,
        measure,
        count(*) as fact_count,
        count(distinct value) as distinct_value_count,
        list_sort(list(distinct value)) as distinct_values,
        min(value) as min_value,
        max(value) as max_value

    from prose_facts
    group by document_id, measure

),

final as (

    select
        chosen_facts.document_id,
        chosen_facts.measure,
        chosen_facts.value,
        chosen_facts.unit,
        chosen_facts.approximate,
        chosen_facts.rule_id,
        chosen_facts.rule_rank,
        chosen_facts.fact_no,
        chosen_facts.span_start,
        chosen_facts.span_end,
        chosen_facts.sentence,
        measure_value_spread.fact_count,
        measure_value_spread.distinct_value_count,
        measure_value_spread.distinct_value_count > 1 as is_conflict,
        measure_value_spread.distinct_values,
        measure_value_spread.min_value,
        measure_value_spread.max_value

    from chosen_facts
    inner join measure_value_spread
        on chosen_facts.document_id = measure_value_spread.document_id
        and chosen_facts.measure = measure_value_spread.measure

)

select * from final

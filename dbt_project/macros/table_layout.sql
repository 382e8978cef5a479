{#-
  The fixed columns of the statutory tables (nianbao/tables/catalog.py keys),
  identical in the 2019 and 2021 formats. Which 表三 rows exist per era is
  data (seed table_crosswalk); these lists lay out the checks at compile time.
-#}

{#- 表三 applicant columns (申请人情况), in printed order, without 总计. -#}
{% macro t3_applicant_columns() -%}
    {{ return(['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org']) }}
{%- endmacro %}

{#- 表四 blocks: 行政复议, 行政诉讼·未经复议直接起诉, 行政诉讼·复议后起诉. -#}
{% macro t4_blocks() -%}
    {{ return(['review', 'direct', 'after_review']) }}
{%- endmacro %}

{#- 表四 results of each block, in printed order, without 总计. -#}
{% macro t4_results() -%}
    {{ return(['upheld', 'corrected', 'other', 'pending']) }}
{%- endmacro %}

{#- The summary measures a table gives, with the table: 表三 rows and 表四 totals. -#}
{% macro table_summary_measures() -%}
    {{ return({
        'applications_new': 't3',
        'applications_carried_over': 't3',
        'granted': 't3',
        'partially_granted': 't3',
        'denied': 't3',
        'unavailable': 't3',
        'not_processed': 't3',
        'other_handling': 't3',
        'responded_total': 't3',
        'carried_forward': 't3',
        'reconsideration_total': 't4',
        'litigation_total': 't4',
    }) }}
{%- endmacro %}

{#- The table_vs_prose checks: every summary measure a table gives, and the lump
    granted_or_partial (prose) against table granted + partially_granted. -#}
{% macro table_prose_comparisons() -%}
    {%- set comparisons = table_summary_measures().copy() %}
    {%- do comparisons.update({'granted_or_partial': 't3'}) %}
    {{ return(comparisons) }}
{%- endmacro %}

{#- SQL literal of a string list, for `in (...)`. -#}
{% macro sql_list(values) -%}
    {%- for value in values %}'{{ value }}'{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}

{#-
  Measure names in glossary order (nianbao/glossary.py MEASURES). The wide
  models need them at compile time to lay out columns; the seed
  measure_glossary stays the routing table, and tests/test_dbt_project.py
  checks that these lists, the seed and the Python glossary agree.
-#}

{% macro glossary_measures() -%}
    {{ return([
        'proactive_total',
        'applications_new',
        'applications_carried_over',
        'granted',
        'partially_granted',
        'granted_or_partial',
        'denied',
        'unavailable',
        'not_processed',
        'other_handling',
        'responded_total',
        'carried_forward',
        'reconsideration_total',
        'litigation_total',
        'fees_yuan',
    ]) }}
{%- endmacro %}

{#- The numeric columns of report_summary: every measure but the lump
    granted_or_partial, which is never copied into granted / partially_granted. -#}
{% macro summary_measures() -%}
    {{ return(glossary_measures() | reject('equalto', 'granted_or_partial') | list) }}
{%- endmacro %}

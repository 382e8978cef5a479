{#-
  Models land in schemas named exactly as configured (`stg`, `int`, `marts`),
  not dbt's default `<target schema>_<custom schema>`: the Python side and
  eval/score.py read `marts.report_summary` by that name.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

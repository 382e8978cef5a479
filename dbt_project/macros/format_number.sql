{#- A figure as text for check details: 859 rather than 859.0, 3940.5 as is. -#}
{% macro format_number(expression) -%}
    case
        when {{ expression }} = trunc({{ expression }}) and abs({{ expression }}) < 1e15
            then cast(cast({{ expression }} as bigint) as varchar)
        else cast({{ expression }} as varchar)
    end
{%- endmacro %}

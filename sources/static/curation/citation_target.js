// The record a citation backs, chosen by typing part of its name: Select2 (the admin's own)
// asks the citation admin's target autocomplete for the kind chosen next to it.
'use strict';
{
    const $ = django.jQuery;

    function initTarget(select) {
        const kind = document.getElementById(select.dataset.kindField);
        $(select).select2({
            theme: 'admin-autocomplete',
            allowClear: true,
            placeholder: select.dataset.placeholder,
            width: '100%',
            ajax: {
                url: select.dataset.url,
                dataType: 'json',
                delay: 250,
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    content_type: kind.value,
                }),
            },
        });
        // Another kind: the chosen record no longer fits it.
        kind.addEventListener('change', () => $(select).val(null).trigger('change'));
    }

    window.addEventListener('load', () => {
        document.querySelectorAll('select.citation-target').forEach(initTarget);
    });
}

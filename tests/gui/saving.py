"""For tests that answer a form by replacing its ``ask`` classmethod: the forms that save
while open (``gui.widgets.SavingDialog``, issue 15) are asked with ``save=``; the values the
replacement returns are saved through it, as the form's Save does."""


def saving(answer):
    """``answer(cls, parent, ...)`` returns the form's values (or None: cancelled); the
    classmethod returned saves them with the page's ``save`` and returns what it saved."""

    def ask(cls, parent, *args, save=None, **options):
        values = answer(cls, parent, *args, **options)
        return values if save is None or values is None else save(values)

    return classmethod(ask)

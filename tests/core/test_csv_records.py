"""guard.core.csvrecords: records of a CRM export, and a quote that is never closed named where it opened.

Python's csv module (https://docs.python.org/3/library/csv.html, Dialect.strict: "raise exception Error on bad CSV
input") reads a field opened with a quote up to the next quote, across line ends; with no closing quote it takes
every later line into that one field, and only a strict reader says "unexpected end of data".
"""

from guard.core.csvrecords import Records


def test_a_quote_never_closed_is_named_at_its_line_and_the_rows_after_it_are_read():
    text = 'phone,customer_id,name\r\n"13800138000,C1,Zhang\r\n13900139000,C2\r\n13700137000,C3\r\n'
    records = Records(text.splitlines(keepends=True))
    rows = list(records)
    assert rows[0] == (1, ["phone", "customer_id", "name"], None)
    line, record, why = rows[1]
    assert (line, record) == (2, None)
    assert why == ("a quote opened in this line is never closed: it runs to the end of the file (line 4); "
                   "the lines after it are read as rows")
    assert rows[2:] == [(3, ["13900139000", "C2"], None), (4, ["13700137000", "C3"], None)]


def test_a_quote_opened_on_the_last_line_says_so_rather_than_counting_its_fields():
    rows = list(Records(["phone,customer_id,name\n", "13900139000,C2,Li\n", '"13800138000,C1,Zhang\n']))
    assert rows[2] == (3, None, "a quote opened in this line is never closed: it runs to the end of the file")


def test_a_quoted_field_over_two_lines_and_doubled_quotes_are_read_as_written():
    rows = list(Records(["phone,note\n", '13800138000,"line one\n', 'says ""hi"""\n', "13900139000,x\n"]))
    assert rows[1:] == [(2, ["13800138000", 'line one\nsays "hi"'], None), (4, ["13900139000", "x"], None)]


def test_a_header_that_cannot_be_read_is_refused_without_saying_the_lines_after_it_are_read():
    from guard.core.csvrecords import header_unreadable

    line, record, why = next(iter(Records(['"phone,customer_id\n', "13800138000,C1\n"])))
    assert (line, record) == (1, None) and "read as rows" in why  # as a row's refusal says it: its later lines are read
    assert header_unreadable(why) == ("a quote opened in this line is never closed: it runs to the end of the file (line 2); "
                                      "the header cannot be read, so nothing in the file is read")
    stray = "a quote opened in this line is not closed on it, and line 2 after it reads as a row of its own: a stray quote? " \
            "(the lines after this one are read as rows)"
    assert "read as rows" not in header_unreadable(stray, "the first row")

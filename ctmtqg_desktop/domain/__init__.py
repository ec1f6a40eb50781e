"""Pure rules: money, codes, clocks, validation and Vietnamese text. No I/O, no Qt, no ORM."""

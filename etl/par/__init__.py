"""PAR INDEX files (Chỉ số cải cách hành chính): the framework of each year and peer group, and the units' scores."""

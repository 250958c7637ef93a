//! JSON text → [`Value`], strictly (RFC 8259), without recursion deeper than [`MAX_DEPTH`].

use super::{Map, Number, Value, MAX_DEPTH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The text ends before the value does (a cut-off answer).
    Eof,
    /// Not JSON: a wrong character, invalid UTF-8, nesting too deep, trailing characters.
    Syntax,
}

/// Parses one JSON value, with optional whitespace around it.
pub fn parse(text: &[u8]) -> Result<Value, ParseError> {
    let mut p = Parser { text, at: 0 };
    let value = p.value(0)?;
    p.skip_space();
    if p.at < text.len() {
        return Err(ParseError::Syntax);
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Result<u8, ParseError> {
        self.text.get(self.at).copied().ok_or(ParseError::Eof)
    }

    fn next(&mut self) -> Result<u8, ParseError> {
        let b = self.peek()?;
        self.at += 1;
        Ok(b)
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.get(self.at) {
            self.at += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), ParseError> {
        match self.next()? {
            got if got == b => Ok(()),
            _ => Err(ParseError::Syntax),
        }
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, ParseError> {
        for &b in word {
            self.expect(b)?;
        }
        Ok(value)
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.skip_space();
        match self.peek()? {
            b'n' => self.literal(b"null", Value::Null),
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' if depth < MAX_DEPTH => self.array(depth + 1),
            b'{' if depth < MAX_DEPTH => self.object(depth + 1),
            _ => Err(ParseError::Syntax),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.at += 1; // [
        let mut items = Vec::new();
        self.skip_space();
        if self.peek()? == b']' {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_space();
            match self.next()? {
                b',' => {}
                b']' => return Ok(Value::Array(items)),
                _ => return Err(ParseError::Syntax),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.at += 1; // {
        let mut members = Vec::new();
        self.skip_space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Ok(Value::Object(Map(members)));
        }
        loop {
            self.skip_space();
            if self.peek()? != b'"' {
                return Err(ParseError::Syntax);
            }
            let key = self.string()?;
            self.skip_space();
            self.expect(b':')?;
            members.push((key, self.value(depth)?));
            self.skip_space();
            match self.next()? {
                b',' => {}
                b'}' => return Ok(Value::Object(Map(members))),
                _ => return Err(ParseError::Syntax),
            }
        }
    }

    fn digits(&mut self) -> Result<usize, ParseError> {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.text.get(self.at) {
            self.at += 1;
        }
        if self.at == start {
            // A number may not end in `-`, `.` or `e`.
            self.peek()?;
            return Err(ParseError::Syntax);
        }
        Ok(self.at - start)
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.at;
        if self.peek()? == b'-' {
            self.at += 1;
        }
        if self.peek()? == b'0' {
            self.at += 1;
        } else {
            self.digits()?;
        }
        if self.text.get(self.at) == Some(&b'.') {
            self.at += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.text.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.text.get(self.at) {
                self.at += 1;
            }
            self.digits()?;
        }
        // Only ASCII digits and signs were consumed.
        let text = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        Ok(Value::Number(Number(text)))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        if self.text.len() - self.at < 4 {
            return Err(ParseError::Eof);
        }
        let mut n = 0;
        for _ in 0..4 {
            let digit = (self.next()? as char)
                .to_digit(16)
                .ok_or(ParseError::Syntax)?;
            n = n * 16 + digit;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1; // "
        let mut out = Vec::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let run = self.text[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .ok_or(ParseError::Eof)?;
            out.extend_from_slice(&self.text[self.at..self.at + run]);
            self.at += run;
            match self.next()? {
                b'"' => return String::from_utf8(out).map_err(|_| ParseError::Syntax),
                b'\\' => {}
                _ => return Err(ParseError::Syntax),
            }
            let c = match self.next()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => self.escaped_char()?,
                _ => return Err(ParseError::Syntax),
            };
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }

    /// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`; a lone surrogate is an error.
    fn escaped_char(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                self.expect(b'\\')?;
                self.expect(b'u')?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(ParseError::Syntax);
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            _ => first,
        };
        char::from_u32(code).ok_or(ParseError::Syntax)
    }
}

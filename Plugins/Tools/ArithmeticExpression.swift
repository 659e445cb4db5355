/// The calculator tool's language: numbers (`12`, `3.5`, `1e3`), `+ - * / %`, unary minus and
/// parentheses, with the usual precedence. A loop over an explicit stack (shunting-yard), so a
/// deeply nested expression from a model cannot exhaust the thread's stack; bounded in length.
enum ArithmeticExpression {
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    static let maximumLength = 4096

    static func evaluate(_ text: String) throws(Failure) -> Double {
        guard text.utf8.count <= maximumLength else { throw Failure(description: "the expression is longer than \(maximumLength) bytes") }
        var values: [Double] = []
        var operators: [Character] = []  // "(" and binary operators; "~" is unary minus
        var expectsOperand = true
        var index = text.startIndex

        func apply() throws(Failure) {
            let op = operators.removeLast()
            if op == "~" {
                guard let value = values.popLast() else { throw Failure(description: "a minus without a number") }
                values.append(-value)
                return
            }
            guard values.count >= 2 else { throw Failure(description: "'\(op)' needs two numbers") }
            let right = values.removeLast(), left = values.removeLast()
            switch op {
            case "+": values.append(left + right)
            case "-": values.append(left - right)
            case "*": values.append(left * right)
            case "/":
                guard right != 0 else { throw Failure(description: "division by zero") }
                values.append(left / right)
            default:
                guard right != 0 else { throw Failure(description: "division by zero") }
                values.append(left.truncatingRemainder(dividingBy: right))
            }
        }

        func precedence(_ op: Character) -> Int { op == "~" ? 3 : (op == "*" || op == "/" || op == "%") ? 2 : op == "(" ? 0 : 1 }

        while index < text.endIndex {
            let character = text[index]
            if character == " " || character == "\t" || character == "\n" {
                index = text.index(after: index)
            } else if character.isASCII && (character.isNumber || character == ".") {
                guard expectsOperand else { throw Failure(description: "two numbers in a row") }
                var end = index
                while end < text.endIndex, text[end].isASCII,
                      text[end].isNumber || text[end] == "." || text[end] == "e" || text[end] == "E"
                        || ((text[end] == "-" || text[end] == "+") && end > index && (text[text.index(before: end)] == "e" || text[text.index(before: end)] == "E")) {
                    end = text.index(after: end)
                }
                guard let value = Double(text[index..<end]) else { throw Failure(description: "'\(text[index..<end])' is not a number") }
                values.append(value)
                expectsOperand = false
                index = end
            } else if character == "(" {
                guard expectsOperand else { throw Failure(description: "'(' after a number") }
                operators.append("(")
                index = text.index(after: index)
            } else if character == ")" {
                guard !expectsOperand else { throw Failure(description: "')' where a number belongs") }
                while let last = operators.last, last != "(" { try apply() }
                guard operators.popLast() == "(" else { throw Failure(description: "a ')' without its '('") }
                index = text.index(after: index)
            } else if "+-*/%".contains(character) {
                if expectsOperand {
                    guard character == "-" || character == "+" else { throw Failure(description: "'\(character)' where a number belongs") }
                    if character == "-" { operators.append("~") }
                } else {
                    while let last = operators.last, last != "(", precedence(last) >= precedence(character) { try apply() }
                    operators.append(character)
                    expectsOperand = true
                }
                index = text.index(after: index)
            } else {
                throw Failure(description: "'\(character)' is not part of an arithmetic expression")
            }
        }
        guard !expectsOperand else { throw Failure(description: values.isEmpty && operators.isEmpty ? "an empty expression" : "it ends without a number") }
        while let last = operators.last {
            guard last != "(" else { throw Failure(description: "a '(' without its ')'") }
            try apply()
        }
        guard values.count == 1, let result = values.first else { throw Failure(description: "not one expression") }
        return result
    }

    /// `42` rather than `42.0`; other values as Swift prints them.
    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// `<word> <prompt>` split at the first space, tab or newline; the prompt loses the blanks
/// before it and keeps everything after.
struct CommandArguments {
    let word: String
    let prompt: String

    init(_ arguments: String) {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let word = arguments.prefix { !isBlank($0) }
        self.word = String(word)
        prompt = String(arguments[word.endIndex...].drop(while: isBlank))
    }
}
